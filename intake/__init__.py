"""From proposals to the plan (项目征集): units' proposals, the public's suggestions, expert
review and field research, and selection into a year's plan.

It stands apart from ``projects``: an anonymous public surface and an outside-expert role.
Layers point one way: units ← projects ← intake (intake imports projects, never the reverse).
"""
