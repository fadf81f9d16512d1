from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """Evidence files (附件), attached to objects of other apps; see ``registry``."""

    name = "evidence"
    verbose_name = _("附件")

    def ready(self):
        checks.register(check_attachable_models)


def check_attachable_models(app_configs=None, **kwargs):
    """Every label in EVIDENCE_MODELS names an installed model that evidence has rules
    for (a row in ``registry.RULES`` or the protocol on the model)."""
    from . import registry

    errors = []
    for label in registry.enabled_labels():
        if registry.rules_for_label(label) is None:
            errors.append(
                checks.Error(
                    f"EVIDENCE_MODELS lists {label!r}, which is not an installed model with "
                    "evidence rules (registry.RULES, register(), or ACCESS 'read' and "
                    "'attach' on the model).",
                    id="evidence.E001",
                )
            )
    return errors
