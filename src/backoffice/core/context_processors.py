from backoffice.core.selectors import notification_unread_count, user_companies


def backoffice(request):
    user = getattr(request, "user", None)
    company = getattr(request, "company", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "bo_company": company,
        "bo_companies": user_companies(user=user),
        "bo_unread": notification_unread_count(user=user, company=company),
    }
