"""Sync to the national public-service portal (DVCQG): outbox, worker, pull-back, local stub."""
