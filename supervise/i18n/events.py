"""The catalogue's words for the recorded actions: each kind's name (`event.<kind>`) and the words for
what the store keeps in machine form (`log.what.*`), as db/actions.py's table of kinds says them.

The notice's and the collected form's names live with their areas (notices.py, forms.py).
"""

EVENTS: dict[str, tuple[str, str]] = {
    "event.tick": ("tick", "完成"),
    "event.untick": ("untick", "取消完成"),
    "event.note": ("note", "备注"),
    "event.record": ("record", "填报数值"),
    "event.override": ("override", "人工调整"),
    "event.override_clear": ("clear override", "取消人工调整"),
    "event.import": ("import", "导入"),
    "event.review": ("review held", "召开推进会"),
    "event.undo": ("undo", "撤销"),
    "log.what.tick": ("done", "完成"),
    "log.what.retick": ("done date changed", "更改完成日期"),
    "log.what.untick": ("reopened", "恢复为未完成"),
    "log.what.clear": ("override cleared", "取消人工调整"),
    "log.what.review": ("review held", "召开推进会"),
}
