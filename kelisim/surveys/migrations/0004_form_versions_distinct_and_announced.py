import hashlib
import json
import re

from django.db import migrations

_ROOT = re.compile(r"(<instance>\s*<[A-Za-z_][\w.:-]*)([^>]*?)(/?>)")


def form_identity(apps, schema_editor):
    """Before one form per (form id, version): a version that repeated an earlier one's pair gets a
    distinct version string; every XForm carries the version the form list announces; every version
    gets the digest that tells a changed form from the same one uploaded again."""
    version_model = apps.get_model("surveys", "InstrumentVersion")
    seen = set()
    for version in version_model.objects.order_by("form_id", "number", "pk"):
        changed = []
        pair = (version.form_id, version.form_version)
        if pair in seen:
            version.form_version = f"{version.form_version}-{version.number}"
            changed.append("form_version")
        seen.add((version.form_id, version.form_version))
        match = _ROOT.search(version.xform)
        if match and not re.search(r"\sversion=", match.group(2)):
            attribute = ' version="%s"' % version.form_version.replace('"', "&quot;")
            version.xform = version.xform[: match.end(2)] + attribute + version.xform[match.end(2) :]
            changed.append("xform")
        elif match and "form_version" in changed:
            version.xform = re.sub(
                r'(\sversion=")[^"]*(")', r"\g<1>" + version.form_version + r"\g<2>", version.xform, count=1
            )
        body = {k: v for k, v in (version.definition or {}).items() if k != "version"}
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
        version.content_digest = digest
        changed.append("content_digest")
        version.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_form_identity_files_and_answer_files")]

    operations = [migrations.RunPython(form_identity, migrations.RunPython.noop)]
