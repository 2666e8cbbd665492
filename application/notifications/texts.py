"""What a notice says, in Vietnamese (the default) or English, with a link to its case."""

from __future__ import annotations

from application.notifications import notices as n

# kind -> language -> (subject, body); the fields come from the notice's facts.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    n.REPORT_DUE: {
        "vi": ("Sắp đến hạn báo cáo: {reference}",
               "Báo cáo {kind} kỳ {period_start} – {period_end} của hồ sơ {reference} "
               "đến hạn ngày {due_on}."),
        "en": ("Report due soon: {reference}",
               "The {kind} report for {period_start} – {period_end} of case {reference} "
               "is due on {due_on}.")},
    n.REPORT_OVERDUE: {
        "vi": ("Báo cáo quá hạn: {reference}",
               "Báo cáo {kind} kỳ {period_start} – {period_end} của hồ sơ {reference} "
               "đã quá hạn (hạn nộp {due_on})."),
        "en": ("Report overdue: {reference}",
               "The {kind} report for {period_start} – {period_end} of case {reference} "
               "is overdue (it was due on {due_on}).")},
    n.CERTIFICATE_EXPIRING: {
        "vi": ("Giấy đăng ký sắp hết hạn: {reference}",
               "Giấy đăng ký {reference} của tổ chức {donor} hết hạn ngày {expires_on}."),
        "en": ("Certificate expiring: {reference}",
               "Certificate {reference} of {donor} expires on {expires_on}.")},
    n.CERTIFICATE_SUSPENDED: {
        "vi": ("Giấy đăng ký bị đình chỉ: {reference}",
               "Giấy đăng ký {reference} của tổ chức {donor} bị đình chỉ từ ngày {on}."),
        "en": ("Certificate suspended: {reference}",
               "Certificate {reference} of {donor} is suspended from {on}.")},
    n.CERTIFICATE_REVOKED: {
        "vi": ("Giấy đăng ký bị thu hồi: {reference}",
               "Giấy đăng ký {reference} của tổ chức {donor} bị thu hồi từ ngày {on}."),
        "en": ("Certificate revoked: {reference}",
               "Certificate {reference} of {donor} is revoked from {on}.")},
    n.APPRAISAL_DUE: {
        "vi": ("Sắp đến hạn thẩm định: {reference}",
               "Thẩm định hồ sơ {reference} phải hoàn thành trước ngày {due_on}."),
        "en": ("Appraisal due soon: {reference}",
               "The appraisal of case {reference} is due on {due_on}.")},
    n.APPRAISAL_OVERDUE: {
        "vi": ("Thẩm định quá hạn: {reference}",
               "Thẩm định hồ sơ {reference} đã quá hạn (hạn {due_on})."),
        "en": ("Appraisal overdue: {reference}",
               "The appraisal of case {reference} is overdue (it was due on {due_on}).")},
    n.REPLY_DUE: {
        "vi": ("Sắp đến hạn trả lời lấy ý kiến: {reference}",
               "Ý kiến của {agency} về hồ sơ {reference} đến hạn ngày {due_on}."),
        "en": ("Consultee reply due soon: {reference}",
               "The reply of {agency} on case {reference} is due on {due_on}.")},
    n.REPLY_OVERDUE: {
        "vi": ("Quá hạn trả lời lấy ý kiến: {reference}",
               "Ý kiến của {agency} về hồ sơ {reference} đã quá hạn (hạn {due_on})."),
        "en": ("Consultee reply overdue: {reference}",
               "The reply of {agency} on case {reference} is overdue (it was due on "
               "{due_on}).")},
    n.DONOR_NOT_NOTIFIED: {
        "vi": ("Chưa thông báo cho bên tài trợ: {reference}",
               "Bên tài trợ của hồ sơ {reference} chưa được thông báo ({message})."),
        "en": ("Donor not notified: {reference}",
               "The donor of case {reference} has not been notified ({message}).")},
    n.CRITICAL_FLAG: {
        "vi": ("Cảnh báo nghiêm trọng {code}: {reference}",
               "Hồ sơ {reference} có cảnh báo nghiêm trọng {code} từ ngày {on}: {message}."),
        "en": ("Critical flag {code}: {reference}",
               "Case {reference} has a critical flag {code} from {on}: {message}.")},
}
_LINK = {"vi": "Xem chi tiết", "en": "Details"}


def link(base_url: str, case_id: str | None, donor_id: str | None) -> str:
    base = base_url.rstrip("/")
    return f"{base}/cases/{case_id}" if case_id else f"{base}/donors/{donor_id}"


class _Facts(dict[str, str]):
    def __missing__(self, key: str) -> str:  # a fact an old row lacks reads as empty
        return ""


def render(kind: str, language: str, reference: str, facts: dict[str, str],
           url: str) -> tuple[str, str]:
    """The subject and the body (its last line the link)."""
    subject, body = TEXTS[kind]["en" if language == "en" else "vi"]
    values = _Facts(facts, reference=reference)
    lang = "en" if language == "en" else "vi"
    return (subject.format_map(values),
            f"{body.format_map(values)}\n\n{_LINK[lang]}: {url}\n")
