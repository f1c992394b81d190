from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = (
        "Back up the database and both file stores (public and private, folders or buckets) "
        "into one archive, and print its manifest with each file's SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the archive file to write (.tar)")

    def handle(self, *args, output, verbosity, **options):
        try:
            manifest = backup.backup(
                output, log=self.stdout.write if verbosity else lambda line: None
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            for entry in manifest["entries"]:
                self.stdout.write(f"{entry['sha256']}  {entry['size']:>12}  {entry['path']}")
        total = sum(entry["size"] for entry in manifest["entries"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {manifest['database']} database and "
                f"{len(manifest['entries']) - 1} files, {total} bytes, {manifest['created']}."
            )
        )
