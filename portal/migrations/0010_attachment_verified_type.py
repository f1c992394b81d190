"""Case attachments keep the type the server found in their content, not the uploader's.

Files stored before this were typed by the browser (or email) and PDFs were checked only by
their first bytes, so each one is looked at again: a picture Pillow reads, a plain PDF, or
otherwise a download.
"""

from django.db import migrations

from portal.files import DOWNLOAD, sniffed_type


def verify_stored_files(apps, schema_editor):
    CaseAttachment = apps.get_model("portal", "CaseAttachment")
    for attachment in CaseAttachment.objects.iterator():
        try:
            with attachment.file.open("rb") as file:
                verified = sniffed_type(file)
        except OSError:  # the file is gone: whatever is there later is only a download
            verified = DOWNLOAD
        attachment.verified_type = verified
        attachment.save(update_fields=["verified_type"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0009_user_public_name"),
    ]

    operations = [
        migrations.RenameField(
            model_name="caseattachment",
            old_name="content_type",
            new_name="verified_type",
        ),
        migrations.RunPython(verify_stored_files, migrations.RunPython.noop),
    ]
