"""Signals that Django does not send by itself.

`bulk_created` stands in for post_save after `bulk_create`, which sends no signals: a service that
writes many rows at once (an import) sends it once, so the apps above (search) can follow in bulk
too, without the domain app importing them.
"""

from django.dispatch import Signal

# sender: the model class; instances: the saved objects, with their primary keys.
bulk_created = Signal()
