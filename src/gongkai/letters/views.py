"""Staff pages for the letters of one application: list, draft, edit, issue, download.

Scope as everywhere on the staff side: reads go through the visible applications (404
outside them), each action asks agencies.selectors.can (403 when visible but not allowed),
and the services check the role once more before anything is stored."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies.access import staff_required
from gongkai.applications.models import Application
from gongkai.applications.selectors import visible_applications

from . import selectors, services
from .forms import CreateForm, EditForm
from .models import Letter

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TOO_BIG = f"提交的内容过大，未保存。正文不能超过 {services.MAX_BODY_CHARS} 字。"


def _application(user, pk: int) -> Application:
    return get_object_or_404(visible_applications(user), pk=pk)


def _letter(user, pk: int) -> Letter:
    try:
        return selectors.get_letter(user, pk)
    except Letter.DoesNotExist:
        raise Http404("没有这份文书") from None


def _require_draft(user, agency) -> None:
    if not services.can_draft(user, agency):
        raise PermissionDenied("您没有在该机关制作或修改文书的权限。")


def _list_page(request, app: Application, form: CreateForm, status: int = 200):
    return render(request, "letters/list.html", {
        "application": app,
        "letters": selectors.letters_of(app),
        "form": form,
        "can_draft": services.can_draft(request.user, app.agency),
    }, status=status)


@staff_required
@require_GET
def application_letters(request, application_id: int):
    app = _application(request.user, application_id)
    # ?kind=…&outcome=… (from the application page's 尚待制作的文书) chooses for the clerk;
    # anything else in the query is ignored, not an error.
    form = CreateForm()
    chosen = {k: request.GET[k] for k in ("kind", "outcome") if k in request.GET}
    if chosen:
        offered = {k: {v for v, _ in form.fields[k].choices} for k in chosen}
        form = CreateForm(initial={k: v for k, v in chosen.items() if v in offered[k]})
    return _list_page(request, app, form)


@staff_required
@require_POST
def create(request, application_id: int):
    app = _application(request.user, application_id)
    _require_draft(request.user, app.agency)
    form = CreateForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            letter = services.create_draft(app, d["kind"], by=request.user,
                                           outcome=d["outcome"], fee_method=d["fee_method"],
                                           pages=d["pages"])
        except services.Refused as r:
            form.add_error(None, r.reason)
        else:
            messages.success(request, f"已按模板生成{letter.get_kind_display()}草稿，请核对修改后签发。")
            return redirect("letters:edit", pk=letter.pk)
    return _list_page(request, app, form, status=400)


@staff_required
@require_GET
def detail(request, pk: int):
    letter = _letter(request.user, pk)
    return render(request, "letters/detail.html", {
        "letter": letter,
        "application": letter.application,
        "can_edit": not letter.issued and services.can_draft(request.user, letter.agency),
        "can_issue": not letter.issued and services.can_issue(request.user, letter),
    })


@staff_required
def edit(request, pk: int):
    letter = _letter(request.user, pk)
    _require_draft(request.user, letter.agency)
    if letter.issued:
        return render(request, "letters/frozen.html", {"letter": letter,
                                                       "reason": services.FROZEN}, status=409)
    status = 200
    if request.method == "POST":
        try:
            form = EditForm(request.POST)
        except RequestDataTooBig:
            form = EditForm(initial={"body": letter.body})
            form.too_big = TOO_BIG
            status = 413
        else:
            if form.is_valid():
                try:
                    services.edit_draft(letter, form.cleaned_data["body"], by=request.user)
                except services.Refused as r:
                    form.add_error(None, r.reason)
                else:
                    messages.success(request, "草稿已保存。")
                    return redirect("letters:detail", pk=letter.pk)
            status = 400
    else:
        form = EditForm(initial={"body": letter.body})
    return render(request, "letters/edit.html", {"letter": letter, "form": form,
                                                 "application": letter.application},
                  status=status)


@staff_required
@require_POST
def issue(request, pk: int):
    letter = _letter(request.user, pk)
    if not services.can_issue(request.user, letter):
        raise PermissionDenied("您没有签发此类文书的权限。")
    try:
        services.issue(letter, by=request.user)
    except services.Refused as r:
        messages.error(request, r.reason)
    else:
        messages.success(request, f"已签发，文号：{letter.number}。")
    return redirect("letters:detail", pk=letter.pk)


@staff_required
@require_GET
def download(request, pk: int):
    letter = _letter(request.user, pk)
    data = services.docx(letter)
    name = f"{letter.number or '草稿'}-{letter.title}.docx"
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
