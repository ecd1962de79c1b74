#ifndef NIANBAO_CZLIB_SHIM_H
#define NIANBAO_CZLIB_SHIM_H
#include <zlib.h>
#endif
