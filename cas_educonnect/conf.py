"""Every ``CAS_EDUCONNECT_*`` setting with its default, read lazily.

Read settings through ``from cas_educonnect.conf import settings`` at the moment they are
used, never copy them into module globals: ``override_settings`` then works everywhere.
Each feature keeps its settings in its own block below; docs/configuration.md is checked
against ``DEFAULTS`` by the test suite, so no setting goes undocumented.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings
from django.core.signals import setting_changed

DEFAULTS: dict[str, Any] = {
    # --- core / directory -------------------------------------------------------------
    # Academy code used in FrEduCtRefId ({AAF}<code>|AC2D|...) and ENTPersonJointure.
    "CAS_EDUCONNECT_ACADEMY_CODE": "DEMO",
    # Name of the academy printed at the top of the notification letters (« Académie de
    # <name> », 004 §2.8.1), e.g. "Nancy-Metz"; empty: no such line.
    "CAS_EDUCONNECT_ACADEMY_NAME": "",
    # Fernet key(s) (urlsafe base64, 32 bytes) encrypting provisional passwords. The first
    # key encrypts, all keys decrypt (rotation). Empty: derived from SECRET_KEY and its
    # fallbacks (core.crypto.derive_keys; W001 warns).
    "CAS_EDUCONNECT_PROVISIONAL_PASSWORD_KEYS": [],
    # Length of generated provisional passwords (digits and lowercase letters).
    "CAS_EDUCONNECT_PROVISIONAL_PASSWORD_LENGTH": 8,
    # Maximum length of a normalized identifier, suffix included.
    "CAS_EDUCONNECT_IDENTIFIER_MAX_LENGTH": 64,
    # Minimum length of a password chosen on any route (on top of AUTH_PASSWORD_VALIDATORS);
    # None: CAS_EDUCONNECT_ATEN_PASSWORD_MIN_LENGTH, its former name.
    "CAS_EDUCONNECT_PASSWORD_MIN_LENGTH": None,
    # AAF import: also pre-create accounts for "persons in charge" (legal = 2), not only
    # legal representatives (legal = 1).
    "CAS_EDUCONNECT_IMPORT_PERSONS_IN_CHARGE": False,
    # AAF import: dotted path of the writer applying the rows (directory.store.base.Writer).
    # Empty: COPY into staging tables and set-based merges on PostgreSQL
    # (...store.copy.CopyWriter), row batches elsewhere (...store.rows.RowWriter).
    "CAS_EDUCONNECT_IMPORT_WRITER": "",
    # Purge (manage.py educonnect_purge): days after notification before a never activated
    # account goes back to "not notified", and days without use before an active account
    # is deleted.
    "CAS_EDUCONNECT_PURGE_NOT_ACTIVATED_DAYS": 92,
    "CAS_EDUCONNECT_PURGE_UNUSED_DAYS": 365,
    # Purge: days the route of each login (staff statistics) is kept; deleted by whole months.
    "CAS_EDUCONNECT_PURGE_ROUTE_LOGINS_DAYS": 365,
    # Purge: days the accesses per person, service and month are kept; deleted by whole months.
    "CAS_EDUCONNECT_PURGE_SERVICE_ACCESSES_DAYS": 365,
    # --- rate limits (cas_educonnect.core.ratelimit) ----------------------------------
    # Dotted path of the counter storage used by every scope not listed below, like
    # EMAIL_BACKEND: ...backends.CacheBackend (the cache CAS_EDUCONNECT_ATEN_THROTTLE_CACHE)
    # or ...backends.DatabaseBackend (the cas_educonnect RateLimitCounter table).
    "CAS_EDUCONNECT_RATELIMIT_BACKEND": "cas_educonnect.core.ratelimit.backends.CacheBackend",
    # Backend per scope, {scope: dotted path}: the counters that guard accounts (the login
    # lock, birth dates) and the SMS counters stay in the database, so a cache restart or
    # outage never hands out new password guesses, new SMS (they cost money) or code attempts.
    "CAS_EDUCONNECT_RATELIMIT_SCOPE_BACKENDS": {
        "login_identifier_ip": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "login_identifier": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "login_ip": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "admin_username_ip": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "admin_username": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "admin_ip": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "birth_date": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "legacy_birth_date": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "sms_number": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "sms_ip": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "sms_code": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "sms_birth_date": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "sms_budget_hour": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
        "sms_budget_day": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
    },
    # Where a CacheBackend counter goes while the cache fails (Redis down): a dotted path,
    # ...backends.DatabaseBackend (counting goes on in the database for the outage) or
    # ...backends.RefusingBackend (fail closed: its actions are refused); "" = the error propagates.
    "CAS_EDUCONNECT_RATELIMIT_CACHE_FALLBACK": "cas_educonnect.core.ratelimit.backends.DatabaseBackend",
    # --- host hardening (django-cas-server) -------------------------------------------
    # Service name shown in the DSFR header, page titles and footer.
    "CAS_EDUCONNECT_SITE_NAME": "ÉduConnect",
    # Facts of the help, « Mentions légales », « Données personnelles » and « Accessibilité »
    # pages and of the footer; give only the keys to change (merged over these). The texts
    # are templates (cas_educonnect/portal/help.html, legal_notice.html, privacy.html,
    # accessibility.html) a project overrides at the same path. accessibility_status: "full",
    # "partial" or "none" (RGAA conformity; "none" until an audit says otherwise).
    "CAS_EDUCONNECT_LEGAL_INFORMATION": {
        "publisher": "Rectorat de l'académie",
        "publisher_address": "",
        "publication_director": "Le recteur ou la rectrice de l'académie",
        "hosting": "Services informatiques du rectorat de l'académie",
        "contact_email": "",
        "contact_url": "",
        "dpo_contact": "",
        "accessibility_status": "none",
        "accessibility_audit": "",
        "accessibility_contact": "",
    },
    # Only redirect (logout ?service=/?url=, gateway) to URLs matching a ServicePattern.
    "CAS_EDUCONNECT_STRICT_REDIRECTS": True,
    # Seconds a process reuses the ServicePatterns and their rules read from the database
    # (a save or delete through the ORM refreshes them at once everywhere the cache is
    # shared); 0 reads them on every ticket, as django-cas-server does.
    "CAS_EDUCONNECT_SERVICE_PATTERN_CACHE_SECONDS": 60,
    # Seconds between two writes of an SSO session's last activity (``User.date``, read by
    # ``cas_clean_sessions``); the host writes it at every ticket.
    "CAS_EDUCONNECT_SESSION_TOUCH_SECONDS": 60,
    # Prepare the SSO hot path's statements on PostgreSQL (core.prepared): planned once per
    # connection instead of at every ticket. False behind a transaction-pooling PgBouncer < 1.21.
    "CAS_EDUCONNECT_PREPARED_STATEMENTS": True,
    # Longest parameter value accepted (host.badinput.BadInputMiddleware): query strings
    # everywhere, POST bodies outside the admin; longer ones get the endpoint's error.
    "CAS_EDUCONNECT_MAX_PARAMETER_LENGTH": 8192,
    # Dotted paths of login steps run after the credentials are checked and before the
    # SSO session is opened; each is ``step(request, account, view) -> HttpResponse | None``.
    "CAS_EDUCONNECT_LOGIN_STEPS": [
        "cas_educonnect.login.policy.refusal_step",
        "cas_educonnect.routes.legacy.steps.sunset",
        "cas_educonnect.routes.legacy.offer.switch_offer_step",
        "cas_educonnect.routes.aten.steps.activation_step",
        "cas_educonnect.login.choice.profile_choice_step",
    ],
    # --- attributes -------------------------------------------------------------------
    # Dotted paths of access policies, ``policy(subject, pattern) -> str | None`` (the
    # message of a refusal), applied at service and proxy ticket issuance after the
    # follow-up refusal; those of an uninstalled staff app are skipped.
    "CAS_EDUCONNECT_SERVICE_ACCESS_POLICIES": [
        "cas_educonnect.staff.closure.school_closure",
        "cas_educonnect.staff.closure.missing_siecle_module",
    ],
    # Seconds a process reuses the school closures (« Services en ligne », staff.closure)
    # read from the database (a save or delete through the ORM refreshes them at once
    # everywhere the cache is shared); 0 reads them at every ticket.
    "CAS_EDUCONNECT_SCHOOL_CLOSURE_CACHE_SECONDS": 60,
    # Subjects (an account and its persons) each process keeps between tickets on PostgreSQL,
    # a ticket being written from a kept one only while the digest of its rows is unchanged
    # (attributes.shared); 0 reads the subject at every ticket.
    "CAS_EDUCONNECT_SHARED_SUBJECTS": 5000,
    # Ordered dotted paths of AttributeProvider classes merged by attributes.release().
    "CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS": [
        "cas_educonnect.attributes.identity.IdentityProvider",
        "cas_educonnect.attributes.vector.VectorProvider",
        "cas_educonnect.attributes.educonnect.EduConnectProvider",
        "cas_educonnect.attributes.ent.EntProvider",
    ],
    # Send the pupil's own nom/prénom in his FrEduVecteur (empty fields when False, as since 2018).
    "CAS_EDUCONNECT_VECTOR_PUPIL_NAMES": False,
    # Secret key of the FrEduCtId HMAC. Empty: derived from SECRET_KEY (W041 warns).
    "CAS_EDUCONNECT_OPAQUE_ID_KEY": "",
    # Middle field of FrEduCtRefId values {AAF}<academy code>|<source>|<jointure>.
    "CAS_EDUCONNECT_REFID_SOURCE": "AC2D",
    # <ACADEMY> of ENTPersonJointure AC-<ACADEMY>$<jointure> (e.g. ORLEANS-TOURS); empty: the academy code.
    "CAS_EDUCONNECT_ENT_ACADEMY": "",
    # Attribute name carrying Account.legacy_identifier (migrated legacy accounts); empty: not released.
    "CAS_EDUCONNECT_LEGACY_IDENTIFIER_ATTRIBUTE": "ENTPersonLogin",
    # Multi-person (joint) accounts: release every person and let the service choose, instead of
    # asking "Choisissez votre profil" at login.
    "CAS_EDUCONNECT_RELEASE_ALL_PERSONS": False,
    # --- ATEN route -------------------------------------------------------------------
    # Validity of the email validation links (activation and email change), in seconds:
    # about three months, as the ATEN activation letters say.
    "CAS_EDUCONNECT_ATEN_EMAIL_LINK_VALIDITY": 92 * 24 * 3600,
    # Validity of the lost-password reset link, in seconds (one week).
    "CAS_EDUCONNECT_ATEN_PASSWORD_RESET_VALIDITY": 7 * 24 * 3600,
    # How long an activation started by a provisional-password login stays open (seconds).
    "CAS_EDUCONNECT_ATEN_ACTIVATION_SESSION_AGE": 30 * 60,
    # ATEN activation codes (CAR per representative/pupil pair and school, CAE per pupil),
    # printed in the notification letters and used with the child's birth date at
    # /cas/aten/code/: True, False, or the academy codes whose schools distribute them (a
    # school's academy_code, else CAS_EDUCONNECT_ACADEMY_CODE). Off: pre-created accounts
    # with provisional passwords replaced them, and each code is one more credential.
    "CAS_EDUCONNECT_ATEN_ACTIVATION_CODES": False,
    # Seconds an activation code stays valid (unused codes are destroyed after 3 months).
    "CAS_EDUCONNECT_ATEN_ACTIVATION_CODE_VALIDITY": 92 * 24 * 3600,
    # Former name of CAS_EDUCONNECT_PASSWORD_MIN_LENGTH, used while that one is None.
    "CAS_EDUCONNECT_ATEN_PASSWORD_MIN_LENGTH": 8,
    # Throttling (counters in the Django cache named below, shared by every worker: use
    # Redis in production), after Keycloak's brute-force detection: ``free`` failures, then
    # each new one locks the key for factor * 2**(n - free - 1) seconds, capped at MAX_DELAY
    # (never for good); a success resets the account's counters; factor 0 turns it off.
    "CAS_EDUCONNECT_ATEN_THROTTLE_FACTOR": 30,
    "CAS_EDUCONNECT_ATEN_THROTTLE_MAX_DELAY": 15 * 60,
    # Counters are forgotten this many seconds after the last failure.
    "CAS_EDUCONNECT_ATEN_THROTTLE_WINDOW": 24 * 3600,
    # Failures allowed before any delay, per scope. Logins are counted per identifier *and*
    # client IP (a stranger's guesses lock his own address only), per identifier from every
    # address (the ceiling of a distributed attack, much higher) and per IP (an IP may be a
    # whole school behind NAT).
    "CAS_EDUCONNECT_ATEN_THROTTLE_FREE_FAILURES": {
        "login_identifier_ip": 3,
        "login_identifier": 30,
        "login_ip": 30,
        "birth_date": 2,
        "activation_code_ip": 30,
    },
    # Self-service emails (lost identifier / password, resent links): {scope: (limit, window
    # seconds)} per target (address, identifier, account) and per client IP.
    "CAS_EDUCONNECT_ATEN_MAIL_RATE": {"target": (3, 3600), "ip": (30, 3600)},
    "CAS_EDUCONNECT_ATEN_THROTTLE_CACHE": "default",
    # request.META key of the forwarding header set by the reverse proxies, such as
    # "HTTP_X_FORWARDED_FOR"; "" = REMOTE_ADDR. Read only with TRUSTED_PROXIES below.
    "CAS_EDUCONNECT_ATEN_CLIENT_IP_HEADER": "",
    # Number of reverse proxies in front of the app servers that append to that header: the
    # client is its N-th value from the right (never a value further left, which the client
    # wrote). 0 = the header is ignored, REMOTE_ADDR is the client (check W030 warns).
    "CAS_EDUCONNECT_ATEN_TRUSTED_PROXIES": 0,
    # --- portal / legacy --------------------------------------------------------------
    # Show the "Indiquez votre profil" page on /cas/login before the credentials form.
    "CAS_EDUCONNECT_PORTAL_ENABLED": True,
    # Query parameters a service may use to preselect a profile (?idpId=autres-publics).
    "CAS_EDUCONNECT_PORTAL_PARAMETERS": ["idpId", "selection"],
    # Cookie remembering the chosen profile, and its lifetime in seconds.
    "CAS_EDUCONNECT_PORTAL_COOKIE_NAME": "educonnect_profil",
    "CAS_EDUCONNECT_PORTAL_COOKIE_AGE": 365 * 24 * 3600,
    # Extra entries of the profile page: dicts {"id", "label", "description", "url"}, where
    # "url" is a URL name or an absolute URL; the CAS parameters (service...) are appended.
    "CAS_EDUCONNECT_PORTAL_EXTRA_ENTRIES": [],
    # Template snippets included on the "Élèves ou parents" page, in order (FranceConnect
    # button, "Je n'ai pas d'identifiant"...). They get service/renew/warn/method/login_params.
    # None: those of the installed routes (their AppConfig's ``portal_snippets``, in
    # INSTALLED_APPS order). The FranceConnect button renders nothing until
    # CAS_EDUCONNECT_FRANCECONNECT_ISSUER is set.
    "CAS_EDUCONNECT_PORTAL_EDUCONNECT_SNIPPETS": None,
    # Lost identifier / lost password links of the "Élèves ou parents" page: URL names or
    # URLs; a name that does not resolve hides the link.
    "CAS_EDUCONNECT_PORTAL_LOST_IDENTIFIER_URL": "cas_server:educonnect_aten_lost_identifier",
    "CAS_EDUCONNECT_PORTAL_LOST_PASSWORD_URL": "cas_server:educonnect_aten_lost_password",
    # Sunset of the legacy route per population: {"pupil": "2026-09-01", "representative":
    # "2026-11-01"} (first closed day, local time). Rows of the LegacySunset admin win.
    "CAS_EDUCONNECT_LEGACY_SUNSET": {},
    # ATEN -> EduConnect switch: wrong birth-date attempts allowed, and how long (seconds)
    # the legacy credentials stay valid for the switch pages.
    "CAS_EDUCONNECT_LEGACY_SWITCH_MAX_ATTEMPTS": 5,
    "CAS_EDUCONNECT_LEGACY_SWITCH_TIMEOUT": 900,
    # Before the sunset, a matched legacy pupil/parent is offered the switch after logging in;
    # after "Later" the offer is not shown again to that account for this many seconds.
    "CAS_EDUCONNECT_LEGACY_SWITCH_OFFER_DELAY": 7 * 24 * 3600,
    # --- SMS --------------------------------------------------------------------------
    # Dotted path of the SMS gateway (cas_educonnect.routes.sms.base.SmsBackend subclass), like
    # EMAIL_BACKEND: ...backends.console (logs the text), .locmem (outbox, tests), .twilio.
    "CAS_EDUCONNECT_SMS_BACKEND": "cas_educonnect.routes.sms.backends.console.SmsBackend",
    # Template of the SMS text (context: code, validity_minutes); translatable.
    "CAS_EDUCONNECT_SMS_MESSAGE_TEMPLATE": "cas_educonnect/sms/message.txt",
    # Twilio credentials; give either a sender number (E.164) or a Messaging Service SID.
    "CAS_EDUCONNECT_SMS_TWILIO_ACCOUNT_SID": "",
    "CAS_EDUCONNECT_SMS_TWILIO_AUTH_TOKEN": "",
    "CAS_EDUCONNECT_SMS_TWILIO_FROM": "",
    "CAS_EDUCONNECT_SMS_TWILIO_MESSAGING_SERVICE_SID": "",
    # Seconds before a Twilio call is abandoned (recorded as failed, nothing is consumed).
    "CAS_EDUCONNECT_SMS_TWILIO_TIMEOUT": 10,
    # Dotted path of a twilio.http.HttpClient subclass; empty = twilio's own (tests point it locally).
    "CAS_EDUCONNECT_SMS_TWILIO_HTTP_CLIENT": "",
    # Regions whose mobile numbers are accepted (metropolitan France and overseas).
    "CAS_EDUCONNECT_SMS_ALLOWED_REGIONS": ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"],
    # Number of digits of a code (CSPRNG), and seconds it stays valid.
    "CAS_EDUCONNECT_SMS_CODE_LENGTH": 6,
    "CAS_EDUCONNECT_SMS_CODE_VALIDITY": 600,
    # Wrong codes accepted before the challenge is dead (a new one must be asked for).
    "CAS_EDUCONNECT_SMS_CODE_MAX_ATTEMPTS": 5,
    # Seconds between two SMS of the same challenge (resend).
    "CAS_EDUCONNECT_SMS_RESEND_COOLDOWN": 60,
    # Code requests per phone number per window (known or not, so the cap reveals nothing);
    # short, so that a stranger asking for codes blocks the number a quarter of an hour only.
    "CAS_EDUCONNECT_SMS_NUMBER_LIMIT": 3,
    "CAS_EDUCONNECT_SMS_NUMBER_WINDOW": 15 * 60,
    # Code requests per client IP per window.
    "CAS_EDUCONNECT_SMS_IP_LIMIT": 20,
    "CAS_EDUCONNECT_SMS_IP_WINDOW": 3600,
    # Code requests of the whole academy per hour and per day (every number, every address),
    # on top of the caps above: what a distributed abuse can cost. 0 = no budget.
    "CAS_EDUCONNECT_SMS_BUDGET_HOUR": 500,
    "CAS_EDUCONNECT_SMS_BUDGET_DAY": 3000,
    # Wrong birth-date submissions per challenge before the registration is stopped.
    "CAS_EDUCONNECT_SMS_BIRTH_DATE_MAX_ATTEMPTS": 3,
    # Seconds a started registration (session state) stays usable.
    "CAS_EDUCONNECT_SMS_FLOW_TIMEOUT": 1800,
    # --- FranceConnect ----------------------------------------------------------------
    # "v2" (discovery, ES256/RS256 id_token, signed JWT userinfo) or "v1" (configured
    # endpoints, HS256 id_token signed with the client secret, JSON userinfo).
    "CAS_EDUCONNECT_FRANCECONNECT_PROFILE": "v2",
    # Issuer: v2 discovery is read at <issuer>/.well-known/openid-configuration. Empty: route off.
    "CAS_EDUCONNECT_FRANCECONNECT_ISSUER": "",
    "CAS_EDUCONNECT_FRANCECONNECT_CLIENT_ID": "",
    "CAS_EDUCONNECT_FRANCECONNECT_CLIENT_SECRET": "",
    # v1 only (no discovery): authorization, token, userinfo and end_session URLs.
    "CAS_EDUCONNECT_FRANCECONNECT_ENDPOINTS": {},
    "CAS_EDUCONNECT_FRANCECONNECT_SCOPE": "openid given_name family_name birthdate email",
    # Requested eIDAS level; the returned acr must be at least this one.
    "CAS_EDUCONNECT_FRANCECONNECT_ACR_VALUES": "eidas1",
    # Absolute callback / post-logout URLs declared to FranceConnect. Empty: built from the request.
    "CAS_EDUCONNECT_FRANCECONNECT_REDIRECT_URI": "",
    "CAS_EDUCONNECT_FRANCECONNECT_POST_LOGOUT_REDIRECT_URI": "",
    # Seconds for each HTTP call to FranceConnect (connect and read).
    "CAS_EDUCONNECT_FRANCECONNECT_TIMEOUT": 5,
    # Seconds of clock skew accepted on exp/iat; id_tokens older than MAX_AGE are refused.
    "CAS_EDUCONNECT_FRANCECONNECT_LEEWAY": 30,
    "CAS_EDUCONNECT_FRANCECONNECT_ID_TOKEN_MAX_AGE": 300,
    # Seconds the discovery document and the JWKS are cached (an unknown kid refetches).
    "CAS_EDUCONNECT_FRANCECONNECT_METADATA_CACHE": 3600,
    # Refuse the first link when FranceConnect's names differ from the directory's.
    "CAS_EDUCONNECT_FRANCECONNECT_COMPARE_NAMES": False,
    # --- staff admin ------------------------------------------------------------------
    # Seconds an enrolment link (the only way to a first OTP device, handed out when an
    # operator creates a staff role or resets a member's devices) stays valid; single use.
    "CAS_EDUCONNECT_ADMIN_ENROLMENT_LINK_VALIDITY": 24 * 3600,
    # Failed /admin/ logins (password or OTP code): free failures per scope, then each
    # further one locks the key for FACTOR * 2**(n - free - 1) seconds, capped at MAX_DELAY;
    # counts forgotten WINDOW seconds after the last failure (core.ratelimit.Backoff).
    "CAS_EDUCONNECT_ADMIN_THROTTLE_FREE_FAILURES": {"admin_username_ip": 5, "admin_username": 30, "admin_ip": 20},
    "CAS_EDUCONNECT_ADMIN_THROTTLE_FACTOR": 60,
    "CAS_EDUCONNECT_ADMIN_THROTTLE_MAX_DELAY": 900,
    "CAS_EDUCONNECT_ADMIN_THROTTLE_WINDOW": 24 * 3600,
    # Address printed on letters for "online services" letter types (the portal); empty:
    # the CAS login page of this server (which lists the open services once logged in).
    "CAS_EDUCONNECT_PORTAL_URL": "",
    # Alias in TASKS of the django-tasks backend running background tasks: mass notifications,
    # the self-service mails (lost identifier, lost password, email change)
    # and SMS code delivery (production: django_tasks_db.DatabaseBackend with
    # `manage.py db_worker`; an immediate backend sends SMS inside the request, check W002).
    "CAS_EDUCONNECT_TASK_BACKEND": "default",
    # Count accesses (service tickets issued) per day, school, service, category and MEFSTAT
    # for the staff statistics, with the counter below.
    "CAS_EDUCONNECT_COUNT_ACCESSES": True,
    # Dotted path of the access counter (staff.counting): Redis (one round trip per second,
    # flushed by educonnect_flush_accesses), database (one upsert per ticket), or none.
    "CAS_EDUCONNECT_ACCESS_COUNTER": "cas_educonnect.staff.counting.redis.RedisCounter",
    "CAS_EDUCONNECT_ACCESS_COUNTER_REDIS_URL": "redis://127.0.0.1:6379/0",
    "CAS_EDUCONNECT_ACCESS_COUNTER_PREFIX": "educonnect:access",
    # Seconds of a Redis call (connect and read) before counting falls back to the database,
    # and seconds Redis is then left alone.
    "CAS_EDUCONNECT_ACCESS_COUNTER_TIMEOUT": 0.25,
    "CAS_EDUCONNECT_ACCESS_COUNTER_RETRY": 30,
    # Seconds a process keeps its access counts before sending them to Redis in one round
    # trip (at its next ticket, and at exit); 0 sends each ticket's count at once.
    "CAS_EDUCONNECT_ACCESS_COUNTER_BUFFER_SECONDS": 1.0,
    # Seconds what a person's accesses count under (schools, category, MEFSTAT) is cached.
    "CAS_EDUCONNECT_ACCESS_DIMENSIONS_TTL": 3600,
    # The current school year, e.g. "2026-2027" (shown in the staff admin, the start of
    # "this year" in statistics and lists). Empty: computed from the date, the year changing
    # on CAS_EDUCONNECT_SCHOOL_YEAR_CHANGEOVER ("MM-DD", local time).
    "CAS_EDUCONNECT_SCHOOL_YEAR": "",
    "CAS_EDUCONNECT_SCHOOL_YEAR_CHANGEOVER": "08-01",
}


class _Settings:
    """Attribute access to our settings: the project's value, else the default.

    Values are kept once read (a missing project setting costs an exception inside Django's
    settings at each read, on every ticket) and forgotten when Django announces a change
    (``setting_changed``: ``override_settings`` and pytest-django's ``settings``).
    """

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            pass
        if name not in DEFAULTS:
            raise AttributeError(name)
        value = self._values[name] = getattr(django_settings, name, DEFAULTS[name])
        return value

    def forget(self, **kwargs: Any) -> None:
        """Forget the values read (a ``setting_changed`` receiver)."""
        self._values.clear()


settings = _Settings()
setting_changed.connect(settings.forget, dispatch_uid="cas_educonnect.conf.forget")
