"""Names for the inputs that Django's admin lays out in tables: a tabular inline and a change list
with editable columns name each column in the table head only, so screen readers meet inputs
without a name (axe: label, select-name). Each input gets its column's name and its row's object.
"""

from django.contrib import admin
from django.utils.text import capfirst


class NamedInputs:
    """A formset mixin: every visible input of every form gets an aria-label."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = f" ({form.instance})" if form.instance.pk else ""
        for field in form.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", f"{capfirst(field.label)}{row}")


def with_named_inputs(formset):
    return type(formset.__name__, (NamedInputs, formset), {})


class NamedInputsInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        return with_named_inputs(super().get_formset(request, obj, **kwargs))


class NamedInputsAdmin(admin.ModelAdmin):
    """For an admin with list_editable."""

    def get_changelist_formset(self, request, **kwargs):
        return with_named_inputs(super().get_changelist_formset(request, **kwargs))
