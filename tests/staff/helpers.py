"""Reading what the admin hands out: PDF text (pypdf), CSV rows, workbooks (openpyxl)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from pypdf import PdfReader


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(body(response))).pages]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))


def workbook(response):
    return load_workbook(io.BytesIO(body(response)))
