"""The one table of core: rate-limit counters on the database (core.ratelimit)."""

from django.db import models


class RateCounter(models.Model):
    """A fixed-window counter, written only through ``core.ratelimit`` (atomic upserts)."""

    name = models.CharField(max_length=200, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires = models.FloatField(help_text="Unix time when the window ends.")

    class Meta:
        db_table = "motcua_rate_counter"

    def __str__(self) -> str:
        return f"{self.name}={self.hits}"
