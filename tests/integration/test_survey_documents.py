"""The analytical note: the PDF has the Kazakh text and its charts as vector shapes (no pictures); the
DOCX carries each chart as SVG with a PNG of the same shapes; the results page draws SVG charts."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from pypdf import PdfReader

from tests.conftest import Api, login
from tests.integration.survey_steps import STAFF, answer_of, open_survey, post_answer


def _survey_with_answers(api: Api, count: int) -> int:
    survey_id = open_survey(api, api.rt, STAFF)
    for n, user in enumerate(STAFF[:count]):
        assert post_answer(api, survey_id, user, answer_of(n)).status_code == 201
    # An anonymous survey's figures come once it is closed.
    assert api.post(f"/surveys/{survey_id}/close", "responsible").status_code == 200
    return survey_id


def test_the_note_pdf_has_kazakh_text_and_vector_charts(api: Api) -> None:
    survey_id = _survey_with_answers(api, 6)
    client = api.client
    login(client, "responsible")
    pdf = client.get(f"/surveys/{survey_id}/note.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for phrase in (
        "Талдамалық анықтама",
        "Педагогтердің ЖИ бойынша білім деңгейі",
        "Қатысу: 6 / 10",
        "Білмеймін",
    ):
        assert phrase in text, phrase
    assert "ұсыныс-03-жазба" in text  # free texts, without names
    assert "Әйгерім" not in text and "staff2" not in text
    # The charts are drawn: filled rectangles in the page content, and no raster image anywhere.
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert content.count(b" re") >= 20 and content.count(b"\nf") + content.count(b" f\n") >= 1
    assert all(not page.images for page in reader.pages)
    # The same note twice is the same bytes (its date is the survey's, not the moment of rendering).
    assert client.get(f"/surveys/{survey_id}/note.pdf").data == pdf.data


def test_the_note_docx_carries_svg_charts_with_png_fallbacks(api: Api) -> None:
    survey_id = _survey_with_answers(api, 4)
    client = api.client
    login(client, "wg_chair")
    answer = client.get(f"/surveys/{survey_id}/note.docx")
    assert answer.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(answer.data)).namelist()
    svgs = [n for n in names if n.endswith(".svg")]
    pngs = [n for n in names if n.endswith(".png")]
    assert len(svgs) >= 5 and len(pngs) >= 5
    document_xml = zipfile.ZipFile(io.BytesIO(answer.data)).read("word/document.xml").decode()
    assert document_xml.count("svgBlip") == len(svgs)
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(answer.data)).paragraphs)
    assert "Талдамалық анықтама" in paragraphs and "Қатысу: 4 / 10" in paragraphs


def test_the_results_page_draws_svg_charts_and_staff_may_not_see_it(api: Api) -> None:
    survey_id = _survey_with_answers(api, 3)
    client = api.client
    login(client, "deputy_director")
    page = client.get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 6  # five choice questions and the scale
    assert "ұсыныс-01-жазба" in page
    client = api.client.application.test_client()
    login(client, "staff1")
    assert client.get(f"/surveys/{survey_id}/results").status_code == 403
    assert client.get(f"/surveys/{survey_id}/note.pdf").status_code == 403
    assert client.get(f"/surveys/{survey_id}/results.csv").status_code == 403
