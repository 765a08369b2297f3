"""The request's life as rules, with no database and no Flask (tested directly).

States: 已受理 → 已派单 → 处理中 → 已办结 → 已回访 → 已关闭, plus 不予受理 (with a reason the
resident sees) and 已合并 (a duplicate). Nobody skips a state. Each action names the
states it starts from, where it leads, and who may take it:

- "staff": the staff responsible for the request (its community's staff, the grid
  worker of its compound's grid, the street admin of its street);
- "assignee": whoever must handle it (the company's users for a company's request);
- "resident": the resident on the receipt page (回访 and 催办 only).

`check(action, status, actor)` answers None when the move is allowed, else the Chinese
message that says why not.
"""

STATUSES = {
    "received": "已受理",
    "dispatched": "已派单",
    "in_progress": "处理中",
    "resolved": "已办结",
    "visited": "已回访",
    "closed": "已关闭",
    "rejected": "不予受理",
    "merged": "已合并",
}
OPEN = ("received", "dispatched", "in_progress")
DONE = ("resolved", "visited", "closed")
FINAL = ("closed", "rejected", "merged")
SATISFACTION = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}
URGENCIES = {"normal": "一般", "urgent": "紧急"}
HANDLERS = {"company": "小区物业企业", "community": "社区", "grid": "所在网格网格员", "department": "外部门"}

# action: (from states, to state (None: stays), who may)
ACTIONS = {
    "dispatch": (("received",), "dispatched", ("staff",)),
    "accept": (("dispatched",), "in_progress", ("staff", "assignee")),
    "progress": (("in_progress",), None, ("staff", "assignee")),
    "resolve": (("in_progress",), "resolved", ("staff", "assignee")),
    "visit": (("resolved",), "visited", ("staff", "resident")),  # 不满意: back to dispatched
    "close": (("visited",), "closed", ("staff",)),
    "reject": (("received", "dispatched"), "rejected", ("staff",)),
    "merge": (("received", "dispatched"), "merged", ("staff",)),
    "reassign": (("dispatched", "in_progress"), "dispatched", ("staff",)),
    "reopen": (("resolved", "visited", "closed"), "dispatched", ("staff",)),
    "chase": (OPEN, None, ("staff", "resident")),
    "escalate": (OPEN, None, ("staff",)),
}
ACTION_LABELS = {
    "dispatch": "派单", "accept": "接单", "progress": "填写进展", "resolve": "办结", "visit": "回访",
    "close": "关闭", "reject": "不予受理", "merge": "合并为重复", "reassign": "改派", "reopen": "重新办理",
    "chase": "催办", "escalate": "提交议事",
}
EVENT_KINDS = dict(ACTION_LABELS, received="受理", routed="自动派单", warned_soon="临期预警",
                   warned_overdue="超期预警", meeting="议事决议")
NEEDS_NOTE = {"reject": "请填写不予受理的理由（居民可见）。", "reassign": "请填写改派的理由。",
              "resolve": "请填写办理结果（如何解决的）。", "progress": "请填写进展情况。",
              "reopen": "请填写重新办理的理由。"}


def check(action, status, actor):
    """None when `actor` ("staff", "assignee", "resident", None) may take `action` on a
    request in `status`; otherwise the Chinese reason it may not."""
    if action not in ACTIONS:
        return "没有这种操作。"
    starts, _to, who = ACTIONS[action]
    label = ACTION_LABELS[action]
    if actor not in who:
        if actor == "assignee":
            return f"承办单位不能“{label}”，请联系社区或网格员。"
        return f"您不是此诉求的承办单位或负责人员，不能“{label}”。"
    if status not in starts:
        return f"此诉求当前为“{STATUSES.get(status, status)}”，不能“{label}”（不能跳过中间环节）。"
    return None


def target(action, status, satisfaction=""):
    """The state `action` leads to from `status` (unchanged for chase, progress, escalate)."""
    if action == "visit" and satisfaction == "unsatisfied":
        return "dispatched"
    to = ACTIONS[action][1]
    return status if to is None else to


def allowed(status, actor):
    """The actions `actor` may take on a request in `status`, in display order."""
    return [a for a in ACTIONS if check(a, status, actor) is None]
