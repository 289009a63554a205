from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Every person belongs to a partner. Until sign-up can tell the partner from the
        # address (its e-mail domains), people are created by the cooperation's office.
        return False
