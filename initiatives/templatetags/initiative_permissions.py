"""The predicates of initiatives.permissions as template filters, so a template asks the same
rule the views and services do: {% if user|can_change_comment:comment %}."""

from django import template

from initiatives import permissions

register = template.Library()

register.filter("can_change_comment", permissions.can_change_comment)
