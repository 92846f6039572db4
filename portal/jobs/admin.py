from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.jobs import services
from portal.jobs.models import FailedJob


@admin.register(FailedJob)
class FailedJobAdmin(admin.ModelAdmin):
    list_display = ["failed_at", "task_name", "args", "status", "failures", "error_summary", "succeeded_at"]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name", "error", "task_id"]
    readonly_fields = [f.name for f in FailedJob._meta.fields]
    actions = ["rerun"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("lỗi"))
    def error_summary(self, job):
        return job.error[:120]

    @admin.action(description=_("Chạy lại các tác vụ đã chọn"))
    def rerun(self, request, queryset):
        queued = 0
        for job in queryset:
            try:
                services.failed_job_rerun(job_id=job.pk)
            except services.JobCannotRerun as exc:
                self.message_user(request, _("Không còn tác vụ %(task)s để chạy lại.") % {"task": exc}, messages.ERROR)
            else:
                queued += 1
        if queued:
            self.message_user(
                request,
                ngettext("Đã cho chạy lại %(count)d tác vụ.", "Đã cho chạy lại %(count)d tác vụ.", queued)
                % {"count": queued},
                messages.SUCCESS,
            )
