from django.core.management.base import BaseCommand

from dossiers.services.attachments import attachment_thumbnails_sweep


class Command(BaseCommand):
    help = "Tạo lại ảnh thu nhỏ còn thiếu của các tệp đính kèm (như tác vụ định kỳ)."

    def handle(self, *args, **options):
        count = attachment_thumbnails_sweep()
        self.stdout.write(f"{count} tệp đính kèm được thử tạo lại ảnh thu nhỏ")
