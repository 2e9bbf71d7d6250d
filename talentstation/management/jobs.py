"""The cron commands' shared shape: queue one task of :mod:`talentstation.tasks` (once; a job
already waiting is not queued again), or with ``--now`` run it in the command itself."""

from django.core.management.base import BaseCommand, CommandError

from talentstation import tasks


class JobCommand(BaseCommand):
    job = None  # the task
    job_name = ""  # how the messages name it, e.g. "Outbox sweep"

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run here and now instead of in a worker."
        )

    def run_job(self, *args, now, name=None):
        """The task's return value when it ran (here, or at once with the immediate backend),
        or None when it was queued, which the command then says; a failure is a CommandError."""
        name = name or self.job_name
        outcome = tasks.run_or_enqueue(self.job, *args, now=now)
        if outcome.error:
            raise CommandError(f"{name} failed: {outcome.error}")
        if outcome.queued_id:
            self.stdout.write(f"{name} queued (task {outcome.queued_id}).")
            return None
        return outcome.value
