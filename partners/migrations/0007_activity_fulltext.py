from django.db import migrations

from partners import fulltext


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_change_and_kind_indexes")]

    operations = [migrations.RunPython(fulltext.install, fulltext.uninstall)]
