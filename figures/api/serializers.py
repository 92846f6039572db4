"""What the figures API answers (for the schema; the views return the selectors' dicts)."""

from rest_framework import serializers

from figures.constants import TargetMetric
from procedures.constants import GovLevel


def with_period(serializer_class):
    """`from` and `to` are Python keywords: declared by hand on the answer's class."""
    serializer_class._declared_fields = {
        "from": serializers.DateField(help_text="Ngày đầu kỳ"),
        "to": serializers.DateField(help_text="Ngày cuối kỳ"),
        **serializer_class._declared_fields,
    }
    return serializer_class


def share(help_text: str):
    return serializers.FloatField(allow_null=True, min_value=0, max_value=1, help_text=help_text)


class ScopeOutput(serializers.Serializer):
    agency = serializers.CharField(allow_null=True, help_text="Mã cơ quan được hỏi (kèm các đơn vị trực thuộc)")
    agencies = serializers.IntegerField(allow_null=True, help_text="Số cơ quan trong phạm vi; null: mọi cơ quan")
    gov_level = serializers.CharField(allow_blank=True)
    field = serializers.CharField(allow_null=True)
    procedure = serializers.CharField(allow_null=True)


class TargetOutput(serializers.Serializer):
    metric = serializers.ChoiceField(choices=TargetMetric.choices)
    label = serializers.CharField()
    year = serializers.IntegerField()
    target = share("Mức phải đạt")
    actual = share("Kết quả trong kỳ; null khi chưa có gì để tính")
    met = serializers.BooleanField()
    progress = share("Kết quả / mức phải đạt, tối đa 1")


@with_period
class KpiOutput(serializers.Serializer):
    scope = ScopeOutput()
    received_total = serializers.IntegerField(help_text="Hồ sơ tiếp nhận trong kỳ (theo ngày tiếp nhận)")
    received_online = serializers.IntegerField()
    received_counter = serializers.IntegerField()
    received_postal = serializers.IntegerField()
    online_ratio = share("Hồ sơ tiếp nhận trực tuyến / hồ sơ tiếp nhận")
    received_digitised = serializers.IntegerField(
        help_text="Hồ sơ tiếp nhận trong kỳ đã số hóa: mọi giấy tờ bắt buộc có bản điện tử đã số hóa"
    )
    digitised_ratio = share("received_digitised / received_total")
    completed_total = serializers.IntegerField(help_text="Hồ sơ hoàn thành trong kỳ (theo ngày hoàn thành)")
    completed_on_time = serializers.IntegerField(help_text="Hoàn thành không quá hạn (gồm cả trước hạn)")
    completed_early = serializers.IntegerField(help_text="Có kết quả trước ngày hẹn trả")
    completed_late = serializers.IntegerField(help_text="Có kết quả sau giờ hẹn trả, hoặc đã có phiếu xin lỗi")
    on_time_ratio = share("completed_on_time / completed_total")
    avg_processing_working_days = serializers.FloatField(
        allow_null=True, help_text="Số ngày làm việc giải quyết trung bình, không tính thời gian chờ bổ sung"
    )
    supplement_requests = serializers.IntegerField(help_text="Số lần yêu cầu bổ sung trong kỳ")
    completed_multi_supplement = serializers.IntegerField(help_text="Hồ sơ hoàn thành phải bổ sung hơn một lần")
    rejected = serializers.IntegerField(help_text="Từ chối tiếp nhận")
    refused = serializers.IntegerField(help_text="Không giải quyết")
    procedures_total = serializers.IntegerField(help_text="Thủ tục đang áp dụng tại các cơ quan trong phạm vi")
    procedures_online = serializers.IntegerField(help_text="Thủ tục mức độ 3, 4")
    procedures_level4 = serializers.IntegerField()
    level4_coverage = share("procedures_level4 / procedures_total")
    online_procedures_without_online_dossiers = serializers.IntegerField(
        help_text="Thủ tục mức độ 3, 4 không có hồ sơ trực tuyến nào trong 3 năm đến ngày cuối kỳ"
    )
    ratings_count = serializers.IntegerField()
    ratings_dissatisfied = serializers.IntegerField(help_text="Đánh giá 1–2 sao")
    satisfaction_average = serializers.FloatField(allow_null=True, help_text="Điểm đánh giá trung bình (1–5)")
    payments_online_count = serializers.IntegerField()
    payments_online_amount = serializers.IntegerField(help_text="VND")
    refunds_count = serializers.IntegerField()
    refunds_amount = serializers.IntegerField(help_text="VND")
    targets = TargetOutput(many=True, help_text="Chỉ tiêu năm của cơ quan trong phạm vi, so với kết quả trong kỳ")


class IndicatorOutput(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    measurable = serializers.BooleanField(help_text="false: cổng không có dữ liệu cho chỉ số này (xem reason)")
    value = serializers.FloatField(allow_null=True, help_text="Tỷ lệ 0..1 (thời gian giải quyết: thực tế / thời hạn)")
    full_marks_at = serializers.FloatField(allow_null=True, help_text="Tỷ lệ từ đó được đủ điểm")
    max_points = serializers.FloatField()
    points = serializers.FloatField(allow_null=True)
    formula = serializers.CharField()
    source = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class GroupOutput(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=["publicity", "progress", "online_service", "online_payment", "digitisation", "satisfaction"]
    )
    name = serializers.CharField()
    weight = serializers.IntegerField()
    points = serializers.FloatField(allow_null=True, help_text="Trọng số × điểm đạt / điểm của các chỉ số đo được")
    measurable = serializers.BooleanField()
    indicators = IndicatorOutput(many=True)


@with_period
class ServiceIndexOutput(serializers.Serializer):
    agency = serializers.CharField(allow_null=True)
    total = serializers.FloatField(allow_null=True, min_value=0, max_value=100)
    measured_weight = serializers.IntegerField(help_text="Tổng trọng số các nhóm đo được; total quy về 100")
    groups = GroupOutput(many=True)
    sources = serializers.DictField(child=serializers.CharField(), help_text="Ký hiệu nguồn → văn bản")


class RankingRowOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    total = serializers.FloatField(allow_null=True)
    groups = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text="Nhóm → điểm")


@with_period
class RankingOutput(serializers.Serializer):
    gov_level = serializers.ChoiceField(choices=GovLevel.choices)
    results = RankingRowOutput(many=True)
