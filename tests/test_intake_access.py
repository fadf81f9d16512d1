"""Who may open each intake page (anonymous → sign-in, outsider → 403/404, reader → 403 on
POST, owner → 200), an outside expert's narrow view of the app, where each role lands after
signing in, and the pinned query counts of the list and board pages."""

from django.test import Client
from django.urls import reverse

from intake.choices import ProposalStatus
from intake.models import Proposal, Review, Suggestion
from intake.public import new_receipt

from .base import PASSWORD
from .test_intake_base import IntakeTestCase, proposal_form, review_form

LOGIN = 302  # anonymous: sent to sign in


class LadderTests(IntakeTestCase):
    """Each page, each person: Olivia has no role, Xena is the expert assigned to the
    proposal under review, Yuri an expert who is not, Bob the liaison of its unit, Erin of
    another unit the call goes to, Charlie a leader, Alice the office."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.people = {
            "olivia": cls.olivia,
            "xena": cls.xena,
            "yuri": cls.yuri,
            "bob": cls.bob,
            "erin": cls.erin,
            "charlie": cls.charlie,
            "alice": cls.alice,
        }

    def check(self, method, url, expected, data=None):
        """``expected``: status for anonymous, then for each person in ``self.people``."""
        anonymous, *others = expected
        self.assertEqual(self.status(None, method, url, data), anonymous, f"anonymous {url}")
        for (who, user), status in zip(self.people.items(), others, strict=True):
            with self.subTest(url=url, method=method, who=who):
                self.assertEqual(self.status(user, method, url, data), status)

    def test_call_pages(self):
        #                    anon   olivia xena yuri bob  erin charlie alice
        self.check("get", reverse("intake:call_list"), [LOGIN, 403, 403, 403, 200, 200, 200, 200])
        self.check("get", reverse("intake:call_new"), [LOGIN, 403, 403, 403, 403, 403, 403, 200])
        self.check("get", reverse("intake:call_detail", args=[2018]),
                   [LOGIN, 403, 403, 403, 200, 200, 200, 200])  # fmt: skip
        self.check("get", reverse("intake:call_edit", args=[2018]),
                   [LOGIN, 403, 403, 403, 403, 403, 403, 200])  # fmt: skip
        self.check("get", reverse("intake:board", args=[2018]),
                   [LOGIN, 403, 403, 403, 403, 403, 200, 200])  # fmt: skip
        self.check("get", reverse("intake:proposal_new", args=[2018]),
                   [LOGIN, 403, 403, 403, 200, 200, 403, 200])  # fmt: skip
        self.check("get", reverse("intake:call_detail", args=[1999]),
                   [LOGIN, 404, 404, 404, 404, 404, 404, 404])  # fmt: skip

    def test_a_proposal_under_review(self):
        proposal = self.in_review(self.xena)
        page = reverse("intake:proposal_detail", args=[proposal.pk])
        self.check("get", page, [LOGIN, 403, 200, 404, 200, 403, 200, 200])
        move = reverse("intake:proposal_move", args=[proposal.pk])
        data = {"action": "return", "version": proposal.version, "note": "请补充"}
        # refused for all but the office (whose move then succeeds: last)
        self.check("post", move, [LOGIN, 403, 403, 404, 403, 403, 403, 302], data)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.DRAFT)

    def test_forms_on_a_proposals_page(self):
        proposal = self.in_review(self.xena)
        pk, version = proposal.pk, proposal.version
        experts = reverse("intake:proposal_experts", args=[pk])
        self.check(
            "post",
            experts,
            [LOGIN, 403, 403, 404, 403, 403, 403, 302],
            {"version": version, "experts": [self.xena.pk]},
        )
        visit = reverse("intake:proposal_visit", args=[pk])
        data = {
            "visited_on": "2018-01-05",
            "place": "平湖街道",
            "people": "改革办",
            "findings": "x",
        }
        self.check("post", visit, [LOGIN, 403, 403, 404, 403, 403, 403, 302], data)
        review = reverse("intake:proposal_review", args=[pk])
        self.check("post", review, [LOGIN, 403, 302, 404, 403, 403, 403, 403], review_form())
        self.assertEqual(Review.objects.get(proposal=proposal).total, 16)  # Xena's only
        select = reverse("intake:proposal_select", args=[pk, "select"])
        self.check("get", select, [LOGIN, 403, 403, 404, 403, 403, 403, 200])

    def test_a_draft_is_its_units_alone(self):
        proposal = self.proposal()
        page = reverse("intake:proposal_detail", args=[proposal.pk])
        self.check("get", page, [LOGIN, 403, 404, 404, 200, 403, 200, 200])
        edit = reverse("intake:proposal_edit", args=[proposal.pk])
        self.check("get", edit, [LOGIN, 403, 404, 404, 200, 403, 403, 200])
        data = proposal_form(title="改过的名称", version=proposal.version)
        # Bob's save moves the version on: Alice, last, sent the old one (409)
        self.check("post", edit, [LOGIN, 403, 404, 404, 302, 403, 403, 409], data)
        self.assertEqual(Proposal.objects.get().title, "改过的名称")

    def test_suggestion_pages_and_the_reviewers_list(self):
        suggestion = Suggestion.objects.create(receipt="K7QM2XHR9TBD", topic="a", text="b")
        listing = reverse("intake:suggestion_list")
        self.check("get", listing, [LOGIN, 403, 403, 403, 403, 403, 403, 200])
        detail = reverse("intake:suggestion_detail", args=[suggestion.pk])
        self.check("get", detail, [LOGIN, 403, 403, 403, 403, 403, 403, 200])
        data = {"version": suggestion.version, "disposition": "spam", "domain": ""}
        self.check("post", detail, [LOGIN, 403, 403, 403, 403, 403, 403, 302], data)
        self.check("get", reverse("intake:review_list"), [LOGIN, 403, 200, 200, 403, 403, 403, 403])

    def test_the_public_pages_need_no_sign_in(self):
        Suggestion.objects.create(receipt="K7QM2XHR9TBD", topic="a", text="b")
        for url in ("/suggest/", "/suggest/K7QM2XHR9TBD/"):
            self.assertEqual(Client().get(url).status_code, 200)


class ExpertTests(IntakeTestCase):
    def test_an_expert_sees_only_their_proposals_and_nothing_of_the_plan(self):
        mine = self.in_review(self.xena, title="分给Xena的")
        self.in_review(self.yuri, title="分给Yuri的")
        xena = self.client_for(self.xena)
        listing = xena.get(reverse("intake:review_list"))
        self.assertContains(listing, "分给Xena的")
        self.assertNotContains(listing, "分给Yuri的")
        for url in ("/", "/projects/", "/plans/", "/plans/2017/", "/projects/2017/1/",
                    "/intake/", "/intake/2018/", "/meetings/", "/timeline/"):  # fmt: skip
            with self.subTest(url=url):
                self.assertEqual(xena.get(url).status_code, 403)
        page = xena.get(mine.get_absolute_url())
        self.assertContains(page, 'id="review-form"')
        self.assertNotContains(page, "变更记录")  # the office's people stay unnamed
        self.assertNotContains(page, 'id="move-form"')

    def test_the_header_shows_an_expert_only_their_reviews(self):
        page = self.client_for(self.xena).get(reverse("intake:review_list"))
        nav = page.content.decode().split('class="site-nav"')[1].split("</nav>")[0]
        self.assertIn(reverse("intake:review_list"), nav)
        self.assertNotIn('href="/"', nav)
        self.assertNotIn("项目查询", nav)
        self.assertNotContains(page, 'role="search"')
        office = self.client.get(reverse("intake:call_list")).content.decode()
        self.assertIn('href="/intake/">项目征集', office)

    def test_after_signing_in_an_expert_lands_on_their_reviews_and_others_on_the_dashboard(self):
        for user, landing in ((self.xena, "/intake/reviews/"), (self.alice, "/")):
            client = Client()
            response = client.post(
                reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
            )
            with self.subTest(user=user.username):
                self.assertEqual(response.redirect_chain[-1][0], landing)
                self.assertEqual(response.status_code, 200)


class QueryCountTests(IntakeTestCase):
    """The same number of queries with 2 proposals and with 40 (each with reviews and
    linked suggestions); each count is one signed-in request as it comes."""

    def fill(self, n):
        for i in range(n):
            proposal = self.in_review(self.xena, self.yuri, title=f"建议{i}")
            self.finish(proposal, self.xena)
            suggestion = Suggestion.objects.create(
                receipt=new_receipt(),
                topic=f"建议{i}",
                text="正文",
                call=self.call,
            )
            suggestion.proposals.add(proposal)

    # page: (url, user, queries). Every signed-in page: session, user, the user's and the
    # groups' permissions (4), the header's 待办 count (2, not for an expert, who has no
    # 待办 link); then the page's own:
    PAGES = {
        "calls": ("/intake/", "alice", 7),  # the calls with their counts
        "call (office)": ("/intake/2018/", "alice", 9),  # call, its units, the proposals
        "call (liaison)": ("/intake/2018/", "bob", 10),  # + whether the call reaches his unit
        "board": ("/intake/2018/board/", "alice", 8),  # call, the ranked proposals
        "reviews (expert)": ("/intake/reviews/", "xena", 5),  # her reviews
        "suggestions": ("/intake/suggestions/?show=all", "alice", 8),  # count, one page
    }

    def test_list_and_board_pages_at_two_sizes(self):
        for size in (2, 38):
            self.fill(size)
            for page, (url, who, queries) in self.PAGES.items():
                with self.subTest(page=page, size=size):
                    client = self.client_for(getattr(self, who))
                    with self.assertNumQueries(queries):
                        response = client.get(url)
                    self.assertEqual(response.status_code, 200)
            # the rows are there (else the count is that of an empty page)
            board = self.client.get("/intake/2018/board/")
            self.assertEqual(len(board.context["rows"]), Proposal.objects.count())
