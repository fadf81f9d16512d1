"""The chasing pages: the to-do list, 催办 from a period page, the units' group robots."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import get_plan_for_user, reader_required
from units.models import Unit

from . import texts, webhooks
from .access import get_period_to_chase, get_webhook_for_user, require_chaser
from .choices import Channel
from .escalation import PAGE_SIZE, flags
from .forms import ChaseForm, WebhookForm
from .items import escalated, owed_reports
from .reminders import chase
from .todo import received, sections


@reader_required
@require_GET
def todo_list(request):
    built, total = sections(request)
    request.chasing_todo_count = total  # the header shows the same number
    own = [
        row for s in built if s.name in ("reports", "checkpoints", "instructions") for row in s.rows
    ]
    context = {
        "sections": built,
        "total": total,
        "received": received(request.user, own),
        "today": timezone.localdate(),
    }
    return render(request, "chasing/todo.html", context)


@reader_required
@require_GET
def escalation_list(request, year):
    """All the plan's open 督办 items, most overdue first (the dashboard shows the first)."""
    plan = get_plan_for_user(request, year)
    items = escalated(plan=plan)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = flags(list(page.object_list), plan)
    context = {"plan": plan, "page": page, "total": len(items)}
    return render(request, "chasing/escalations.html", context)


def _refused(request, message, back, status=400):
    return render(
        request, "chasing/refused.html", {"message": message, "back": back}, status=status
    )


@require_POST
def chase_period(request, pk):
    """催办 one unit's, one project's or all missing reports of an open period."""
    period = get_period_to_chase(request, pk)
    back = f"{period.get_absolute_url()}#chase"
    form = ChaseForm(request.POST)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        return _refused(request, " ".join(errors), back)
    if not period.is_open:
        return _refused(request, _("报告期已关闭，不能再催办。"), back)
    if period.starts_on > timezone.localdate():
        return _refused(request, _("报告期尚未开始，不能催办。"), back)
    items = form.pick(owed_reports([period]))
    if not items:
        return _refused(request, _("没有需要催办的报告：可能已经报送，请刷新页面。"), back)
    outcome = chase(items, request.user)
    _tell(request, len(items), outcome)
    return redirect(back)


def _tell(request, items, outcome):
    channels = _("、").join(
        f"{Channel(channel).label} {n}" for channel, n in sorted(outcome.by_channel.items())
    )
    messages.success(
        request,
        _("已催办 %(items)d 项，送达 %(sent)d 条（%(channels)s）。")
        % {"items": items, "sent": outcome.sent, "channels": channels or "—"},
    )
    if outcome.repeated:
        messages.info(request, _("今天已催办过的 %(n)d 条未重复发送。") % {"n": outcome.repeated})
    if outcome.failed:
        messages.warning(
            request,
            _("%(n)d 条发送失败，已记录，下次自动催办时重试。") % {"n": outcome.failed},
        )
    if outcome.unreachable:
        messages.warning(
            request,
            _("以下单位没有联络员账号或群机器人，无法催办：%(units)s。")
            % {"units": _("、").join(sorted(outcome.unreachable))},
        )


@require_GET
def webhook_list(request):
    require_chaser(request)
    units = Unit.objects.select_related("webhook").order_by("kind", "name")
    return render(request, "chasing/webhook_list.html", {"units": units})


@require_http_methods(["GET", "POST"])
def webhook_edit(request, unit_pk):
    unit, webhook = get_webhook_for_user(request, unit_pk)
    if request.method == "POST" and request.POST.get("action") == "delete":
        if webhook.pk:
            webhook.delete()
            messages.success(request, _("已删除%(unit)s的群机器人。") % {"unit": unit})
        return redirect("webhook_list")
    form = WebhookForm(request.POST or None, instance=webhook)
    if request.method == "POST" and form.is_valid():
        robot = form.save(commit=False)
        robot.updated_by = request.user
        robot.save()
        messages.success(request, _("已保存%(unit)s的群机器人。") % {"unit": unit})
        return redirect("webhook_list")
    status = 400 if form.is_bound else 200
    context = {"unit": unit, "webhook": webhook, "form": form}
    return render(request, "chasing/webhook_form.html", context, status=status)


@require_POST
def webhook_test(request, unit_pk):
    """Post a test message to the unit's robot now; the page says whether it arrived."""
    unit, webhook = get_webhook_for_user(request, unit_pk)
    if not webhook.pk:
        return _refused(request, _("该单位尚未设置群机器人。"), reverse("webhook_list"))
    text = f"【测试】{texts.SITE_NAME}：{unit}的群机器人设置成功，今后的催办提醒将发到本群。"
    try:
        webhooks.post(webhook.url, text)
    except (webhooks.Refused, webhooks.Failed) as exc:
        messages.error(request, _("测试消息发送失败：%(error)s") % {"error": exc})
    else:
        messages.success(request, _("测试消息已发送到%(unit)s的群。") % {"unit": unit})
    return redirect("webhook_list")
