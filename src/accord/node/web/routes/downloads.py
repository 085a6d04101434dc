"""Downloads: the final act (JSON to verify, PDF and HTML to read) and the compiled text
(Word, PDF)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.core.final_act import verify as verify_final_act
from accord.documents.html import final_act_html
from accord.documents.pdf import final_act_pdf, lines_pdf
from accord.documents.word import export_compiled
from accord.node import acts
from accord.node.session import Node
from accord.node.web.pages import pages

router = APIRouter()


@router.get("/c/{conf}/t/{text}/final-act.json")
async def final_act_file(request: Request, conf: str, text: str) -> Response:
    p = pages(request)
    return await p.download(
        lambda node: node.final_act(conf, text), f"{text}.final-act.json", "application/json"
    )


@router.get("/c/{conf}/t/{text}/final-act.pdf")
async def final_act_pdf_file(request: Request, conf: str, text: str) -> Response:
    p = pages(request)

    def build(node: Node) -> bytes:
        report = verify_final_act(node.final_act(conf, text))  # shows only what verifies
        return _via_file(lambda path: final_act_pdf(report, path), ".pdf")

    return await p.download(build, f"{text}.final-act.pdf", "application/pdf")


@router.get("/c/{conf}/t/{text}/final-act.html")
async def final_act_html_file(request: Request, conf: str, text: str) -> Response:
    p = pages(request)

    def build(node: Node) -> bytes:
        return final_act_html(verify_final_act(node.final_act(conf, text))).encode()

    return await p.download(build, f"{text}.final-act.html", "text/html; charset=utf-8")


@router.get("/c/{conf}/t/{text}/compiled.docx")
async def compiled_docx(request: Request, conf: str, text: str) -> Response:
    p = pages(request)

    def build(node: Node) -> bytes:
        n = node.negotiation(conf)
        acts.version_of(n, text)
        return _via_file(lambda path: export_compiled(path, n, text), ".docx")

    return await p.download(
        build,
        f"{text}.compiled.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@router.get("/c/{conf}/t/{text}/compiled.pdf")
async def compiled_pdf(request: Request, conf: str, text: str) -> Response:
    p = pages(request)

    def build(node: Node) -> bytes:
        n = node.negotiation(conf)
        v = acts.version_of(n, text)
        lines = [c.render() for c in n.compiled(text)]
        footer = f"{text} version {v.number} {v.hash}"
        return _via_file(lambda path: lines_pdf(path, v.title, lines, footer), ".pdf")

    return await p.download(build, f"{text}.compiled.pdf", "application/pdf")


def _via_file(write: Callable[[Path], None], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"out{suffix}"
        write(path)
        return path.read_bytes()
