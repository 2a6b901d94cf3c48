"""URL patterns of the web UI (namespace ``web``).

URL keyword names are shared with the route enumeration test: ``membership_id``,
``invitation_id``, ``token_id``, ``event_id``, ``link_id``, ``token`` (an invitation's
raw token), ``link_token`` (a client link request's raw token), ``client_id`` (a client
organization of the office) and ``sent_id`` (a sent document).
"""

from __future__ import annotations

from django.urls import path

from ledgerbridge.hub.web.views import (
    audit,
    documents,
    home,
    invitations,
    link_join,
    links,
    members,
    partner,
    partner_documents,
    payment_slips,
    preferences,
    scan,
    sending,
    setup,
    tokens,
)

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("organizations/switch", home.organization_switch, name="organization_switch"),
    path("organizations/new", home.organization_create, name="organization_create"),
    path("settings", home.organization_settings, name="organization_settings"),
    path("preferences", preferences.preferences, name="preferences"),
    path("members/", members.member_list, name="member_list"),
    path("members/<int:membership_id>/", members.member_detail, name="member_detail"),
    path(
        "members/<int:membership_id>/permissions",
        members.member_permissions,
        name="member_permissions",
    ),
    path("members/<int:membership_id>/lock", members.member_lock, name="member_lock"),
    path("members/<int:membership_id>/unlock", members.member_unlock, name="member_unlock"),
    path("members/<int:membership_id>/delete", members.member_delete, name="member_delete"),
    path("invitations/new", invitations.invitation_create, name="invitation_create"),
    path(
        "invitations/<int:invitation_id>/resend",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:invitation_id>/revoke",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invite/<str:token>", invitations.invitation_landing, name="invitation_landing"),
    path("links/", links.link_list, name="link_list"),
    path("links/new", links.link_create, name="link_create"),
    path("links/<int:link_id>/", links.link_detail, name="link_detail"),
    path("links/<int:link_id>/accept", links.link_accept, name="link_accept"),
    path("links/<int:link_id>/revoke", links.link_revoke, name="link_revoke"),
    path("links/<int:link_id>/settings", links.link_settings, name="link_settings"),
    path("links/<int:link_id>/assign", links.link_assign, name="link_assign"),
    path("links/join/<str:link_token>", link_join.link_join_view, name="link_join"),
    path("setup/exchange/", setup.setup_start, name="setup_start"),
    path("setup/exchange/invited", setup.setup_invited, name="setup_invited"),
    path("setup/exchange/organization", setup.setup_organization, name="setup_organization"),
    path("setup/exchange/users", setup.setup_users, name="setup_users"),
    path("setup/exchange/summary", setup.setup_summary, name="setup_summary"),
    path("changelog/", audit.audit_list, name="audit_list"),
    path("changelog/export.csv", audit.audit_export, name="audit_export"),
    path("changelog/<int:event_id>/", audit.audit_detail, name="audit_detail"),
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/<int:token_id>/revoke", tokens.token_revoke, name="token_revoke"),
    path("documents/", documents.document_list, name="document_list"),
    path("documents/upload", documents.document_upload, name="document_upload"),
    path("documents/send", sending.document_send, name="document_send"),
    path("documents/exchange", sending.document_exchange_rows, name="document_exchange_rows"),
    path("documents/<int:document_id>/", documents.document_detail, name="document_detail"),
    path("documents/<int:document_id>/file", documents.document_file, name="document_file"),
    path("documents/<int:document_id>/kind", documents.document_kind, name="document_kind"),
    path(
        "documents/<int:document_id>/pages/<int:page>.png",
        documents.document_page,
        name="document_page",
    ),
    path(
        "documents/<int:document_id>/exchange",
        sending.document_exchange,
        name="document_exchange",
    ),
    path(
        "documents/<int:document_id>/withdraw",
        sending.document_withdraw,
        name="document_withdraw",
    ),
    path("documents/<int:document_id>/replace", sending.document_replace, name="document_replace"),
    path("payment-slips/", payment_slips.payment_slip_list, name="payment_slip_list"),
    path("payment-slips/rows", payment_slips.payment_slip_rows, name="payment_slip_rows"),
    path("payment-slips/process", payment_slips.payment_slip_process, name="payment_slip_process"),
    path("payment-slips/reject", payment_slips.payment_slip_reject, name="payment_slip_reject"),
    path("payment-slips/pain001", payment_slips.payment_slip_export, name="payment_slip_export"),
    path("clients/", partner.client_list, name="client_list"),
    path("clients/<int:client_id>/", partner.client_documents, name="client_documents"),
    path("clients/<int:client_id>/rows", partner.client_rows, name="client_rows"),
    path("clients/<int:client_id>/book", partner.client_book, name="client_book"),
    path("clients/<int:client_id>/reject", partner.client_reject, name="client_reject"),
    path("clients/<int:client_id>/download", partner.client_download, name="client_download"),
    path(
        "clients/<int:client_id>/documents/<int:sent_id>/",
        partner_documents.client_document_detail,
        name="client_document_detail",
    ),
    path(
        "clients/<int:client_id>/documents/<int:sent_id>/status",
        partner_documents.client_document_status,
        name="client_document_status",
    ),
    path(
        "clients/<int:client_id>/documents/<int:sent_id>/file",
        partner_documents.client_document_file,
        name="client_document_file",
    ),
    path(
        "clients/<int:client_id>/documents/<int:sent_id>/pages/<int:page>.png",
        partner_documents.client_document_page,
        name="client_document_page",
    ),
    path("scan/", scan.scan_app, name="scan_app"),
    path("scan/manifest.webmanifest", scan.scan_manifest, name="scan_manifest"),
    path("scan/sw.js", scan.scan_service_worker, name="scan_service_worker"),
    path("scan/preview", scan.scan_preview, name="scan_preview"),
    path("scan/confirm", scan.scan_confirm, name="scan_confirm"),
    path("scan/receipt", scan.scan_receipt, name="scan_receipt"),
    path("scan/recent", scan.scan_recent, name="scan_recent"),
]
