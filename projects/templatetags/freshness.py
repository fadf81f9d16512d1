"""``{% stamped "name" plan.pk %}…{% endstamped %}``: a fragment rendered once per data
stamp (``projects.freshness``), language, day and query string, then read from Django's
cache (per process by default, shared when CACHE_URL names a shared cache). Only for
what is the same for everyone allowed to see the page: nothing of the user inside."""

from django import template
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.utils import timezone
from django.utils.translation import get_language

from projects.freshness import TIMEOUT, current_stamp

register = template.Library()


class StampedNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        request = context["request"]
        stamp = current_stamp(request)
        if stamp is None:  # no stamp row yet: nothing may be cached
            return self.nodelist.render(context)
        vary = [
            stamp,
            get_language(),
            timezone.localdate(),  # 逾期, 需催办 and 督办 move with the day
            request.path,
            request.GET.urlencode(),
            *(v.resolve(context) for v in self.vary_on),
        ]
        key = make_template_fragment_key(f"stamped:{self.name}", vary)
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, TIMEOUT)
        return html


@register.tag
def stamped(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% stamped %} needs a fragment name")
    nodelist = parser.parse(("endstamped",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return StampedNode(nodelist, name, [parser.compile_filter(b) for b in bits[2:]])
