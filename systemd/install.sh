#!/bin/sh
# Installs the nianbao daemon as a systemd service (Debian 12 / systemd ≥ 249).
# Run as root from the package root:  systemd/install.sh [path/to/nianbao]
# Without an argument the release binary is built with `swift build -c release`.
# An existing /etc/nianbao/nianbao.yaml is kept (the new one is put beside it
# as nianbao.yaml.dist). The service is enabled but not started; start it with
#   systemctl start nianbao
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-}
if [ -z "$binary" ]; then
    (cd "$here" && swift build -c release --product nianbao && swift build -c release --product nianbao-ocr)
    binary="$here/.build/release/nianbao"
fi
[ -x "$binary" ] || { echo "install.sh: no executable at $binary" >&2; exit 1; }
# the OCR helper (the one program that links Tesseract), built beside the binary, installed beside it
helper="$(dirname "$binary")/nianbao-ocr"
[ -x "$helper" ] || { echo "install.sh: no OCR helper at $helper (swift build --product nianbao-ocr)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 1; }

install -D -m 0755 "$binary" /usr/local/bin/nianbao
install -D -m 0755 "$helper" /usr/local/bin/nianbao-ocr

install -d -m 0755 /etc/nianbao
if [ -e /etc/nianbao/nianbao.yaml ]; then
    install -m 0644 "$here/Config/nianbao.yaml" /etc/nianbao/nianbao.yaml.dist
    echo "install.sh: kept /etc/nianbao/nianbao.yaml; the shipped one is nianbao.yaml.dist"
else
    install -m 0644 "$here/Config/nianbao.yaml" /etc/nianbao/nianbao.yaml
fi

install -D -m 0644 "$here/systemd/nianbao.sysusers" /usr/lib/sysusers.d/nianbao.conf
install -D -m 0644 "$here/systemd/nianbao.tmpfiles" /usr/lib/tmpfiles.d/nianbao.conf
install -D -m 0644 "$here/systemd/nianbao.service" /etc/systemd/system/nianbao.service
install -D -m 0644 "$here/systemd/nianbao.catalog" /usr/lib/systemd/catalog/nianbao.catalog

systemd-sysusers /usr/lib/sysusers.d/nianbao.conf
systemd-tmpfiles --create /usr/lib/tmpfiles.d/nianbao.conf
journalctl --update-catalog
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable nianbao.service
else
    echo "install.sh: systemd is not running here; skipped daemon-reload and enable"
fi
echo "install.sh: installed. Drop folder: /var/lib/nianbao/inbox (group nianbao)"
