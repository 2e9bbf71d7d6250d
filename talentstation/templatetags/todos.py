"""``{% todo_list %}``: what waits on the user of the page (:mod:`talentstation.todos`)."""

from django import template

from talentstation.dates import today
from talentstation.todos import for_user

register = template.Library()


@register.inclusion_tag("todos/_list.html", takes_context=True)
def todo_list(context, heading_level=2):
    request = context.get("request")
    user = getattr(request, "user", None)
    todos = for_user(user) if user is not None else []
    day = today()
    items = [(todo, todo.overdue(day)) for todo in todos]
    return {
        "items": items,
        "total": sum(todo.count for todo in todos),
        "overdue": sum(1 for _todo, late in items if late),
        "heading_level": heading_level,
    }
