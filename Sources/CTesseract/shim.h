#ifndef NIANBAO_CTESSERACT_SHIM_H
#define NIANBAO_CTESSERACT_SHIM_H
// Tesseract's C API and the Leptonica image functions the OCR reader uses.
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>
#endif
