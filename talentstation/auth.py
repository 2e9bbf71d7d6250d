from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailOrMobileBackend(ModelBackend):
    """Log in with the e-mail address, the mobile number or the username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        login = username.strip()
        users = User._default_manager.filter(
            Q(username__iexact=login) | Q(email__iexact=login) | Q(mobile=login)
        )
        for user in users[:2]:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        # Run the hasher once anyway, so a missing user takes as long as a wrong password.
        User().set_password(password)
        return None
