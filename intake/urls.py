"""The intake's URLs: signed-in pages under /intake/, the public ones under /suggest/."""

from django.urls import include, path

from .views import board, calls, proposals, public, reviews, suggestions

intake_patterns = [
    path("start/", calls.start, name="start"),
    path("", calls.call_list, name="call_list"),
    path("calls/new/", calls.call_new, name="call_new"),
    path("<int:year>/", calls.call_detail, name="call_detail"),
    path("<int:year>/edit/", calls.call_edit, name="call_edit"),
    path("<int:year>/board/", board.board, name="board"),
    path("<int:year>/proposals/new/", proposals.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/move/", proposals.proposal_move, name="proposal_move"),
    path("proposals/<int:pk>/experts/", proposals.proposal_experts, name="proposal_experts"),
    path("proposals/<int:pk>/visits/", proposals.proposal_visit, name="proposal_visit"),
    path("proposals/<int:pk>/review/", reviews.proposal_review, name="proposal_review"),
    path(
        "proposals/<int:pk>/decide/<slug:action>/",
        proposals.proposal_select,
        name="proposal_select",
    ),
    path("reviews/", reviews.review_list, name="review_list"),
    path("suggestions/", suggestions.suggestion_list, name="suggestion_list"),
    path("suggestions/<int:pk>/", suggestions.suggestion_detail, name="suggestion_detail"),
]

urlpatterns = [
    path("intake/", include((intake_patterns, "intake"))),
    # public: no sign-in (each view is login_not_required)
    path("suggest/", public.suggest, name="suggest"),
    path("suggest/find/", public.suggest_find, name="suggest_find"),
    path("suggest/<str:receipt>/", public.suggest_status, name="suggest_status"),
]
