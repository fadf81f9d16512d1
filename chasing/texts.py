"""What a reminder says, in Chinese whatever the sender's interface language: it goes to
people by mail and to group chats, and the record keeps it as sent."""

from django.utils import timezone

from projects.choices import CheckpointKind

from . import conf
from .choices import ItemKind, Stage

SITE_NAME = "龙岗改革台账"
ACTIONS = {
    ItemKind.REPORT: "填报并提交进展报告",
    ItemKind.CHECKPOINT: "报审",
    ItemKind.INSTRUCTION: "登记批示落实情况",
}


def day(value):
    return f"{value.year}年{value.month}月{value.day}日"


def what(item):
    """The work in a few words: 「2017年6月」进展报告（二、推进…）."""
    project = str(item.project)
    if item.kind == ItemKind.REPORT:
        return f"「{item.period.name}」进展报告（{project}）"
    if item.kind == ItemKind.CHECKPOINT:
        gate = dict(CheckpointKind.choices)[item.checkpoint.kind]
        return f"{project}的{gate}报审"
    instruction = item.instruction
    leader = instruction.official.name if instruction.official_id else "区领导"
    return f"{leader}{day(instruction.issued_on)}对{project}的批示的落实"


def when(item, today=None):
    """将于…到期 / 今日到期 / 已逾期N天."""
    late = item.days_late(today or timezone.localdate())
    if late < 0:
        return f"将于{day(item.due_on)}到期"
    if late == 0:
        return "今日到期"
    return f"已逾期{late}天（应于{day(item.due_on)}前办理）"


def link(item):
    site = conf.get("SITE_URL").rstrip("/")
    return f"{site}{item.url}" if site else f"登录{SITE_NAME}后打开 {item.url}"


def subject(item, stage, today=None):
    tag = "【督办】" if stage == Stage.ESCALATION or item.is_escalated(today) else "【催办】"
    if stage == Stage.BEFORE:
        tag = "【提醒】"
    return f"{tag}{what(item)}{when(item, today).split('（')[0]}"


def body(item, stage, greeting, sent_by=None, today=None):
    """The mail's text (also the in-app record's)."""
    lines = [f"{greeting}：", ""]
    lines.append(f"{item.unit}负责的{what(item)}{when(item, today)}。")
    if stage == Stage.ESCALATION:
        lines.append("该事项已列入督办，请督促牵头单位尽快办理。")
    else:
        if item.is_escalated(today):
            lines.append("该事项已列入督办，并已报告牵头区领导。")
        lines.append(f"请尽快{ACTIONS[item.kind]}：")
    lines.append(link(item))
    lines.append("")
    if sent_by is not None:
        lines.append(f"区委改革办 {sent_by} 催办")
    else:
        lines.append(f"本提醒由{SITE_NAME}自动发送，请勿回复。")
    return "\n".join(lines)


def robot_text(item, stage, sent_by=None, today=None):
    """A group robot's text message: one short paragraph with the link."""
    tag = subject(item, stage, today)[:4]
    text = f"{tag}{item.unit}：{what(item)}{when(item, today)}，请尽快{ACTIONS[item.kind]}。"
    text += f"\n{link(item)}"
    if sent_by is not None:
        text += f"\n（区委改革办 {sent_by} 催办）"
    return text
