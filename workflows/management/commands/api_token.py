"""API tokens (issue 16): `api_token create USER --name N --scope read|write --days D` prints
the new token once; `api_token list [USER]` shows prefixes only; `api_token revoke PREFIX`."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflows.api.tokens import ApiToken, TokenScope


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (the token is printed once, at creation)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", required=True)
        create.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        create.add_argument("--days", type=int, default=None)
        listing = sub.add_parser("list")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}.")
            try:
                token, raw = ApiToken.issue(
                    user, name=options["name"], scope=options["scope"], days=options["days"]
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(raw)
            self.stderr.write(
                f"Token {token.prefix}… ({token.scope}) for {user} expires "
                f"{token.expires_at:%Y-%m-%d %H:%M}. It is not shown again."
            )
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by(
                "user__username", "-created_at"
            )
            if options["username"]:
                tokens = tokens.filter(user__username=options["username"])
            for token in tokens:
                state = (
                    "revoked" if token.revoked_at else ("active" if token.is_active else "expired")
                )
                self.stdout.write(
                    f"{token.prefix}…\t{token.user}\t{token.name}\t{token.scope}\t"
                    f"{token.expires_at:%Y-%m-%d}\t{state}"
                )
        else:
            matches = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at=None))
            if len(matches) != 1:
                raise CommandError(
                    f"{len(matches)} active tokens have prefix {options['prefix']!r}."
                )
            matches[0].revoke()
            self.stdout.write(f"Revoked {matches[0]}.")
