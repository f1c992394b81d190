from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = (
        "Replace the database and the file stores' files with those of an archive made by "
        "`backup`. Checks every checksum first; stop the web and worker processes before."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive file written by `backup --output`")
        parser.add_argument(
            "--yes", action="store_true", help="really replace the database and the files"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though the database or the stores already hold data",
        )

    def handle(self, *args, archive, yes, force, verbosity, **options):
        try:
            manifest = backup.read_manifest(archive)
            self.stdout.write(
                f"{archive}: {manifest['database']} database of {manifest['created']} and "
                f"{len(manifest['entries']) - 1} files, every checksum right."
            )
            if verbosity > 1:
                for entry in manifest["entries"]:
                    self.stdout.write(f"{entry['sha256']}  {entry['size']:>12}  {entry['path']}")
            if not yes:
                raise CommandError("Nothing changed: add --yes to replace the database and files.")
            in_the_way = backup.holds_data()
            if in_the_way and not force:
                raise CommandError(
                    f"Nothing changed: {'; '.join(in_the_way)}. Restore into an empty database "
                    "and empty stores, or add --force to replace what is there."
                )
            backup.restore(
                archive, manifest, log=self.stdout.write if verbosity else lambda line: None
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("Restored."))
