"""Pickers for units and officials: a plain ``<select>`` that works without JavaScript,
which ``static/js/picker.js`` turns into a box that searches on the server as one types
(``/units/search/?q=``, ``/officials/search/?q=``: full name, short name, position).

The select keeps every choice of the field, so the form posts and validates exactly as a
plain select would; the script only helps to find the choice. Forms using a picker print
``{{ form.media }}`` in the page's ``head`` block (the script is loaded from this site,
deferred, so the Content-Security-Policy allows it)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PICKER_SCRIPT = forms.Script("js/picker.js", defer=True)


class _Picker:
    """Adds the search URL and the script's texts (in the interface language) as data
    attributes of the select."""

    search_url_name = None
    placeholder = _("输入名称搜索")

    def __init__(self, attrs=None, *, search_url_name=None, **kwargs):
        super().__init__(attrs, **kwargs)
        if search_url_name:
            self.search_url_name = search_url_name

    @property
    def media(self):
        return forms.Media(js=[PICKER_SCRIPT])

    def get_context(self, name, value, attrs):
        attrs = {
            **(attrs or {}),
            "data-picker": reverse(self.search_url_name),
            "data-picker-placeholder": str(self.placeholder),
            "data-picker-empty": str(_("没有匹配的结果")),
            "data-picker-remove": str(_("移除")),
            "data-picker-error": str(_("搜索失败，请直接在列表中选择。")),
            "data-picker-search-label": str(_("搜索")),
        }
        return super().get_context(name, value, attrs)


class UnitPicker(_Picker, forms.Select):
    """One unit (a ``ForeignKey`` to ``Unit``), searched by full or short name."""

    search_url_name = "unit_search"
    placeholder = _("输入单位全称或简称搜索")


class UnitPickerMultiple(_Picker, forms.SelectMultiple):
    """Several units (a ``ManyToManyField`` to ``Unit``): chosen ones shown as removable
    tags; without JavaScript a multiple select (Ctrl/⌘-click)."""

    search_url_name = "unit_search"
    placeholder = _("输入单位全称或简称搜索")


class OfficialPicker(_Picker, forms.Select):
    """One district leader, searched by name, position or unit."""

    search_url_name = "official_search"
    placeholder = _("输入姓名或职务搜索")


class OfficialPickerMultiple(_Picker, forms.SelectMultiple):
    """Several district leaders."""

    search_url_name = "official_search"
    placeholder = _("输入姓名或职务搜索")
