"""Enumerations of the domain vocabulary (DESIGN §2–3). Values are stable identifiers used in
the database, events and the API; labels are translated (zh-hans) for the UI."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """Legal status of a case (DESIGN §3). Only the lifecycle assigns it."""

    RECEIVED = "received", _("Received")
    REGISTERED = "registered", _("Registered")
    CORRECTION = "correction", _("Awaiting correction")
    HANDLING = "handling", _("Routed to division")
    INVESTIGATION = "investigation", _("Under investigation")
    AWAITING_FEE = "awaiting_fee", _("Awaiting fee payment")
    REVIEW = "review", _("Under review")
    APPROVED = "approved", _("Approved")
    REPLIED = "replied", _("Replied")
    ARCHIVED = "archived", _("Archived")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ABANDONED = "abandoned", _("Deemed abandoned")
    # The same applicant's second request for the same information, before the first was
    # answered: merged into the earlier case, which answers both (issue 25 point 2).
    MERGED = "merged", _("Merged into an earlier request")


# States in which the case is still being handled (the clock may run).
OPEN_STATUSES: frozenset[str] = frozenset(
    {
        CaseStatus.RECEIVED,
        CaseStatus.REGISTERED,
        CaseStatus.CORRECTION,
        CaseStatus.HANDLING,
        CaseStatus.INVESTIGATION,
        CaseStatus.AWAITING_FEE,
        CaseStatus.REVIEW,
        CaseStatus.APPROVED,
    }
)


class Channel(models.TextChoices):
    """How the application reached the organ (Art 29, Art 31)."""

    IN_PERSON = "in_person", _("In person")
    ORAL = "oral", _("Oral (form filled in by the office)")
    REGISTERED_POST = "registered_post", _("Registered post / EMS (signed for)")
    ORDINARY_LETTER = "ordinary_letter", _("Ordinary letter")
    ONLINE = "online", _("Online")
    EMAIL = "email", _("E-mail")
    FAX = "fax", _("Fax")


# Art 31(3)-(4): for these channels the legal receipt date is the day receipt is confirmed
# with the applicant (双方确认之日 / 确认之日), so the case waits without a receipt date.
CHANNELS_NEEDING_CONFIRMATION: frozenset[str] = frozenset(
    {Channel.ORDINARY_LETTER, Channel.ONLINE, Channel.EMAIL, Channel.FAX}
)
# Art 33(1): only an applicant standing at the counter can be answered on the spot.
CHANNELS_ON_THE_SPOT: frozenset[str] = frozenset({Channel.IN_PERSON, Channel.ORAL})


class ApplicantCategory(models.TextChoices):
    """The applicant columns of annual-report table 三 (国办公开办函〔2021〕30号)."""

    NATURAL_PERSON = "natural_person", _("Natural person")
    COMMERCIAL = "commercial", _("Commercial enterprise")
    RESEARCH = "research", _("Research institution")
    PUBLIC_WELFARE = "public_welfare", _("Public-welfare organisation")
    LEGAL_SERVICES = "legal_services", _("Legal-services institution")
    OTHER = "other", _("Other")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = (
        "hk_macao_permit",
        _("Mainland travel permit for Hong Kong and Macao residents"),
    )
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    FOREIGN_PERMANENT = "foreign_permanent", _("Foreign permanent resident ID card")
    OTHER = "other", _("Other identity document")


class ProvisionForm(models.TextChoices):
    """The form in which the applicant asks to receive the information (Art 29(3), Art 40)."""

    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic data")
    INSPECTION = "inspection", _("Inspection or copying on site")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")
    COLLECT = "collect", _("Collect in person")
    ONLINE = "online", _("Online download")
    FAX = "fax", _("Fax")


class AttachmentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", _("Application form")
    APPLICANT_ID = "applicant_id", _("Applicant's identity proof")
    AGENT_ID = "agent_id", _("Agent's identity proof")
    POWER_OF_ATTORNEY = "power_of_attorney", _("Power of attorney")
    CORRECTION = "correction", _("Corrected application")
    OTHER = "other", _("Other")


class Disposition(models.TextChoices):
    """The legal outcomes of a case (Art 36–39, 109号, Art 30). Each maps to exactly one of the
    21 leaf rows of annual-report table 三 (LAW.md §3.1): the 21 rows' own keys (those of
    `domain/annual_report_2021.json`), plus two outcomes of Art 36 that the report counts in
    another row (casework.dispositions.REPORT_ROW).
    """

    GRANTED = "granted", _("Disclosed")
    # Art 36(1): already proactively disclosed; the reply tells where to get it (report （一）).
    GRANTED_ALREADY_PUBLISHED = (
        "granted.already_published",
        _("Already published: told where to get it"),
    )
    PARTIAL = "partial", _("Partially disclosed")
    REFUSED_STATE_SECRET = "refused.state_secret", _("Not disclosed: state secret")
    REFUSED_PROHIBITED_BY_LAW = (
        "refused.prohibited_by_law",
        _("Not disclosed: prohibited by other laws"),
    )
    REFUSED_SECURITY_STABILITY = (
        "refused.security_stability",
        _("Not disclosed: endangers security or stability"),
    )
    REFUSED_THIRD_PARTY_RIGHTS = (
        "refused.third_party_rights",
        _("Not disclosed: protects third-party rights"),
    )
    REFUSED_INTERNAL_AFFAIRS = "refused.internal_affairs", _("Not disclosed: internal affairs")
    REFUSED_PROCESS_INFORMATION = (
        "refused.process_information",
        _("Not disclosed: process information"),
    )
    REFUSED_ENFORCEMENT_FILE = (
        "refused.enforcement_file",
        _("Not disclosed: administrative enforcement file"),
    )
    REFUSED_ADMINISTRATIVE_INQUIRY = (
        "refused.administrative_inquiry",
        _("Not disclosed: administrative inquiry matter"),
    )
    UNABLE_NOT_HELD = "unable.not_held", _("Cannot provide: not held by this organ")
    # Art 36(5): not this organ's to disclose; the reply names the responsible organ (report （四）1).
    UNABLE_NOT_THIS_ORGAN = (
        "unable.not_this_organ",
        _("Cannot provide: another organ's information"),
    )
    UNABLE_NEEDS_CREATION = "unable.needs_creation", _("Cannot provide: would need to be created")
    UNABLE_UNCLEAR_AFTER_CORRECTION = (
        "unable.unclear_after_correction",
        _("Cannot provide: still unclear after correction"),
    )
    NOT_PROCESSED_PETITION = (
        "not_processed.petition_complaint",
        _("Not processed: petition, report or complaint"),
    )
    NOT_PROCESSED_REPEATED = "not_processed.repeated", _("Not processed: repeated application")
    NOT_PROCESSED_PUBLICATION = (
        "not_processed.publication",
        _("Not processed: asks for a publication"),
    )
    NOT_PROCESSED_UNREASONABLE = (
        "not_processed.unreasonable_volume",
        _("Not processed: unreasonable volume without good reason"),
    )
    NOT_PROCESSED_CONFIRM = (
        "not_processed.confirm_or_reissue",
        _("Not processed: asks to confirm or reissue information"),
    )
    OTHER_NO_CORRECTION = "other.no_correction", _("Other: no correction in time")
    OTHER_FEE_UNPAID = "other.fee_unpaid", _("Other: fee not paid in time")
    OTHER = "other.other", _("Other")


class Transition(StrEnum):
    """Names of the lifecycle's transitions (DESIGN §3) and of the other event kinds, as
    constants. Labels, states, roles and inputs are declared once, in the transition table
    (casework.lifecycle.machine)."""

    RECEIVE = "receive"
    CONFIRM_RECEIPT = "confirm_receipt"
    REGISTER = "register"
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    ASSIGN = "assign"
    CLAIM = "claim"
    OPEN_CONSULTATION = "open_consultation"
    CLOSE_CONSULTATION = "close_consultation"
    EXTEND = "extend"
    NOTIFY_FEE = "notify_fee"
    RECEIVE_FEE = "receive_fee"
    PROPOSE = "propose"
    RETURN_FOR_REVISION = "return_for_revision"
    APPROVE = "approve"
    ISSUE_REPLY = "issue_reply"
    REPLY_ON_THE_SPOT = "reply_on_the_spot"
    RECORD_DELIVERY = "record_delivery"
    ARCHIVE = "archive"
    WITHDRAW = "withdraw"
    ABANDON = "abandon"
    MERGE_DUPLICATE = "merge_duplicate"
    URGE = "urge"
    RECORD_REMEDY = "record_remedy"
    GIVE_OPINION = "give_opinion"
    CHECK = "check"
    RELEASE = "release"
    REASSIGN = "reassign"
    TRANSFER = "transfer"
    HAND_BACK = "hand_back"
    REQUEST_EXTENSION = "request_extension"
    UPDATE_APPLICANT = "update_applicant"
    ISSUE_LETTER = "issue_letter"
    VOID_LETTER = "void_letter"
    RECOMPUTE = "recompute"


class ConsultationParty(models.TextChoices):
    THIRD_PARTY = "third_party", _("Third party (Art 32)")
    OTHER_ORGAN = "other_organ", _("Other organ (Art 34)")


class ConsultationOpinion(models.TextChoices):
    """What the consulted party answered (Art 32: its opinion is weighed, not binding)."""

    AGREE = "agree", _("Agrees to disclosure")
    OBJECT = "object", _("Objects to disclosure")
    NO_ANSWER = "no_answer", _("No answer within the time limit")
    OTHER = "other", _("Other")


class FeeMethod(models.TextChoices):
    """Charging methods of 国办函〔2020〕109号 Art 4."""

    PER_PIECE = "per_piece", _("Per piece")
    PER_PAGE = "per_page", _("Per page")


class RemedyKind(models.TextChoices):
    """Annual-report table 四 columns groups."""

    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
    LITIGATION_DIRECT = "litigation_direct", _("Litigation without reconsideration")
    LITIGATION_AFTER_RECONSIDERATION = (
        "litigation_after_reconsideration",
        _("Litigation after reconsideration"),
    )


class RemedyOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    CORRECTED = "corrected", _("Corrected")
    OTHER = "other", _("Other result")
    PENDING = "pending", _("Not yet concluded")


class Role(models.TextChoices):
    """Staff roles; the value is the name of the Django group created by a migration."""

    REGISTRAR = "登记员", _("Registrar")
    LIAISON = "联络员", _("Liaison officer")
    REVIEWER = "公开办审核员", _("OGI office reviewer")
    OFFICE_HEAD = "公开办负责人", _("Head of the OGI office")
    SUPERVISOR = "督办", _("Supervision (leading group's office)")
    ADMINISTRATOR = "系统管理员", _("System administrator")


SYSTEM_ROLE = "系统"  # recorded as the role of events written by scheduled work
