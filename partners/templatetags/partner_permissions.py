"""The predicates of partners.permissions as template filters, so a template asks the same rule
the views and services do: {% if user|can_see_applications %}."""

from django import template

from partners import permissions

register = template.Library()

register.filter("can_see_applications", permissions.can_see_applications)
register.filter("is_department_head_of_member", permissions.is_department_head_of_member)
