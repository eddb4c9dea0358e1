from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Deactivate an editor: they can no longer sign in, and their open sessions "
        "end. Their edits and history stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        User = get_user_model()
        with transaction.atomic():
            try:
                user = User.objects.select_for_update().get(username=username)
            except User.DoesNotExist as error:
                raise CommandError(f"No user named {username!r}.") from error
            user.is_active = False
            user.save(update_fields=["is_active"])
            ended = self.end_sessions(user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Editor {username!r} deactivated; {ended} open session(s) ended."
            )
        )

    def end_sessions(self, user):
        # Django already refuses an inactive user's session; deleting them as well
        # leaves nothing to reuse. They are stored encoded, so each is decoded.
        ended = 0
        live = Session.objects.filter(expire_date__gt=timezone.now())
        for session in live.iterator():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                session.delete()
                ended += 1
        return ended
