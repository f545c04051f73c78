"""Create (or update) the account of a person who works for an agency, with one of the four roles."""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coop.roles import Role


class Command(BaseCommand):
    help = (
        "Create a user for an agency with a role, e.g. "
        "create_agency_user so.hungyen --agency 'Sở KH&CN Hưng Yên' --role province_staff --email a@b.vn"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--agency", required=True, help="The agency's id, exact name or short name.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="", help="Family and middle names, then the given name.")
        parser.add_argument(
            "--password",
            help="Omit to be asked for it (safer: a password on the command line stays in the shell history).",
        )

    def handle(self, *args, username, agency, role, email, full_name, password, **options):
        from programmes.models import Agency

        found = Agency.objects.filter(pk=int(agency)) if agency.isdigit() else Agency.objects.filter(name=agency)
        if not agency.isdigit() and not found.exists():
            found = Agency.objects.filter(short_name=agency)
        if found.count() != 1:
            raise CommandError(f"No single agency matches {agency!r}: give its id (see /agencies/).")
        agency_obj = found.get()

        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username)
        last_name, _, first_name = full_name.strip().rpartition(" ")
        user.first_name, user.last_name = first_name or user.first_name, last_name or user.last_name
        user.email = email or user.email
        user.agency = agency_obj
        user.is_staff = role == Role.ADMINISTRATOR

        if password is None and user.pk is None:
            password = getpass.getpass("Password: ")
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            user.set_password(password)

        with transaction.atomic():
            user.save()
            user.groups.set([Group.objects.get(name=role)])
        self.stdout.write(self.style.SUCCESS(f"{username}: {Role(role).label} at {agency_obj.name}"))
