"""SiteProfile (the program's contact) moves from the project package into the kit, which every
app may import. Its tables are taken over as they are (state only here), then renamed to the kit's
names in 0002: no row is copied, so the contact and its audit trail stay exactly as they were."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("hiratsuka_portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalSiteProfile',
                    fields=[
                        ('id', models.PositiveSmallIntegerField(db_index=True, default=1, editable=False)),
                        ('organization', models.CharField(max_length=100, verbose_name='自治体名')),
                        ('organization_ja', models.CharField(max_length=100, null=True, verbose_name='自治体名')),
                        ('organization_en', models.CharField(max_length=100, null=True, verbose_name='自治体名')),
                        ('department', models.CharField(max_length=100, verbose_name='担当課')),
                        ('department_ja', models.CharField(max_length=100, null=True, verbose_name='担当課')),
                        ('department_en', models.CharField(max_length=100, null=True, verbose_name='担当課')),
                        ('section', models.CharField(max_length=100, verbose_name='担当')),
                        ('section_ja', models.CharField(max_length=100, null=True, verbose_name='担当')),
                        ('section_en', models.CharField(max_length=100, null=True, verbose_name='担当')),
                        ('phone', models.CharField(max_length=20, validators=[django.core.validators.RegexValidator('^[0-9０-９()（）+\\- ]{6,20}$', '電話番号は数字とハイフンで入力してください。', code='invalid_phone')], verbose_name='電話番号')),
                        ('phone_note', models.CharField(blank=True, help_text='例：直通', max_length=50, verbose_name='電話番号の補足')),
                        ('phone_note_ja', models.CharField(blank=True, help_text='例：直通', max_length=50, null=True, verbose_name='電話番号の補足')),
                        ('phone_note_en', models.CharField(blank=True, help_text='例：直通', max_length=50, null=True, verbose_name='電話番号の補足')),
                        ('email', models.EmailField(max_length=254, verbose_name='メールアドレス')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='更新日時')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'hiratsuka_portal_historicalsiteprofile',
                        'verbose_name': 'historical サイト情報・問い合わせ先',
                        'verbose_name_plural': 'historical サイト情報・問い合わせ先',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='SiteProfile',
                    fields=[
                        ('id', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                        ('organization', models.CharField(max_length=100, verbose_name='自治体名')),
                        ('organization_ja', models.CharField(max_length=100, null=True, verbose_name='自治体名')),
                        ('organization_en', models.CharField(max_length=100, null=True, verbose_name='自治体名')),
                        ('department', models.CharField(max_length=100, verbose_name='担当課')),
                        ('department_ja', models.CharField(max_length=100, null=True, verbose_name='担当課')),
                        ('department_en', models.CharField(max_length=100, null=True, verbose_name='担当課')),
                        ('section', models.CharField(max_length=100, verbose_name='担当')),
                        ('section_ja', models.CharField(max_length=100, null=True, verbose_name='担当')),
                        ('section_en', models.CharField(max_length=100, null=True, verbose_name='担当')),
                        ('phone', models.CharField(max_length=20, validators=[django.core.validators.RegexValidator('^[0-9０-９()（）+\\- ]{6,20}$', '電話番号は数字とハイフンで入力してください。', code='invalid_phone')], verbose_name='電話番号')),
                        ('phone_note', models.CharField(blank=True, help_text='例：直通', max_length=50, verbose_name='電話番号の補足')),
                        ('phone_note_ja', models.CharField(blank=True, help_text='例：直通', max_length=50, null=True, verbose_name='電話番号の補足')),
                        ('phone_note_en', models.CharField(blank=True, help_text='例：直通', max_length=50, null=True, verbose_name='電話番号の補足')),
                        ('email', models.EmailField(max_length=254, verbose_name='メールアドレス')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新日時')),
                    ],
                    options={
                        'db_table': 'hiratsuka_portal_siteprofile',
                        'verbose_name': 'サイト情報・問い合わせ先',
                        'verbose_name_plural': 'サイト情報・問い合わせ先',
                        'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='siteprofile_single_row')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
