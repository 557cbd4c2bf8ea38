"""PDFium calls the PDF reader makes per character and per drawing object, bound lean.

pypdfium2's typed bindings convert each pointer argument (about a microsecond a call), and
ctypes' usual foreign functions release and retake the GIL around every call. These take
plain addresses and keep the GIL: each call lasts microseconds, and the reader holds its own
lock over PDFium anyway. Slow calls (loading a page or its text) stay with pypdfium2."""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c


def _lean(fn, restype, *argtypes):
    return ctypes.PYFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)


def address(handle) -> int:
    """The plain address of a pypdfium2 handle."""
    return ctypes.cast(handle, ctypes.c_void_p).value


_P, _I = ctypes.c_void_p, ctypes.c_int
loose_char_box = _lean(pdfium_c.FPDFText_GetLooseCharBox, _I, _P, _I, _P)
count_objects = _lean(pdfium_c.FPDFPage_CountObjects, _I, _P)
get_object = _lean(pdfium_c.FPDFPage_GetObject, _P, _P, _I)
count_form_objects = _lean(pdfium_c.FPDFFormObj_CountObjects, _I, _P)
get_form_object = _lean(pdfium_c.FPDFFormObj_GetObject, _P, _P, ctypes.c_ulong)
object_type = _lean(pdfium_c.FPDFPageObj_GetType, _I, _P)
object_matrix = _lean(pdfium_c.FPDFPageObj_GetMatrix, _I, _P, _P)
stroke_color = _lean(pdfium_c.FPDFPageObj_GetStrokeColor, _I, _P, _P, _P, _P, _P)
fill_color = _lean(pdfium_c.FPDFPageObj_GetFillColor, _I, _P, _P, _P, _P, _P)
bounds = _lean(pdfium_c.FPDFPageObj_GetBounds, _I, _P, _P, _P, _P, _P)
draw_mode = _lean(pdfium_c.FPDFPath_GetDrawMode, _I, _P, _P, _P)
count_segments = _lean(pdfium_c.FPDFPath_CountSegments, _I, _P)
get_segment = _lean(pdfium_c.FPDFPath_GetPathSegment, _P, _P, _I)
segment_point = _lean(pdfium_c.FPDFPathSegment_GetPoint, _I, _P, _P, _P)
segment_type = _lean(pdfium_c.FPDFPathSegment_GetType, _I, _P)
segment_close = _lean(pdfium_c.FPDFPathSegment_GetClose, _I, _P)

PATH, FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
MOVETO, LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
