"""``{% stamped "name" plan.pk %}…{% endstamped %}``: a fragment rendered once per data
stamp (``projects.freshness``), language, day and query string, then read from Django's
cache (per process by default, shared when CACHE_URL names a shared cache). Only for
what is the same for everyone allowed to see the page: nothing of the user inside."""

from django import template

from projects.freshness import cached, current_stamp

register = template.Library()


class StampedNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        request = context["request"]
        current_stamp(request)  # read first; when there is none, nothing is cached
        parts = [request.path, request.GET.urlencode(), *(v.resolve(context) for v in self.vary_on)]
        return cached(
            request, f"fragment:{self.name}", parts, lambda: self.nodelist.render(context)
        )


@register.tag
def stamped(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% stamped %} needs a fragment name")
    nodelist = parser.parse(("endstamped",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return StampedNode(nodelist, name, [parser.compile_filter(b) for b in bits[2:]])
