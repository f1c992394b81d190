from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, Value
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import access, caching, fragments, mentions, posting, quotes
from forum.caching import FORUM
from forum.forms import EditForm, PostForm, ReportForm, TopicForm
from forum.limits import PostingRefused
from forum.markdown import render_markdown
from forum.models import Board, Post, PostImage, Reaction, ReadState, Subscription, Topic
from forum.paging import page_count, position_url, positions_on, post_url
from owners.consent import consent_exempt
from portal import framing, pagecache
from portal.files import serve_user_file
from portal.links import addresses
from portal.statements import Statement, columns
from portal.validators import printable
from search.engine import answer

TOPICS_PER_PAGE = 30


def _readable_board(request, board):
    if not access.can_read(request.user, board):
        if not request.user.is_authenticated:
            raise _LoginNeeded
        raise PermissionDenied(_("Only verified owners can read this board."))
    return board


class _LoginNeeded(Exception):
    pass


def _number(text):
    """A positive whole number from a query string, or None for anything else."""
    if text and text.isascii() and text.isdigit() and len(text) < 10:
        return int(text)
    return None


def _with_login(view):
    """Send anonymous visitors of a members-only board to sign in, and back afterwards."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    return wrapped


def index(request):
    boards = access.readable_boards(request.user).select_related(
        "last_post__author", "last_post__topic"
    )
    return render(request, "forum/index.html", {"boards": boards})


@_with_login
def board(request, slug):
    # Like a topic page: owners of a kind see the same list but for their own parts (each
    # topic's link and unread marker, the follow button), kept once for the kind.
    variant = _reader_variant(request)
    copy = pagecache.reader_copy(request, FORUM, variant) if variant else None
    if copy is not None:
        html, (board, counts) = copy
        _readable_board(request, board)
        _board_parts(request, board, counts)
        return HttpResponse(html)
    board = _readable_board(request, get_object_or_404(Board, slug=slug))
    topics = (
        access.visible_topics(request.user, board)
        .select_related("author")
        .only(*fragments.ROW_FIELDS)
        .order_by("-is_pinned", "-last_post_at")
    )
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    counts = {topic.pk: topic.post_count for topic in page.object_list}
    _board_parts(request, board, counts)
    marks = {
        topic.pk: (
            framing.write(request, "topic_link", topic.pk),
            framing.write(request, "topic_mark", topic.pk),
        )
        for topic in page.object_list
    }
    response = render(
        request,
        "forum/board.html",
        {
            "board": board,
            "page": page,
            "rows": fragments.topic_rows(page.object_list, board, marks),
            "can_post": access.can_post(request.user, board),
            "refusal": access.why_not_post(request.user, board),
            "has_feed": access.has_feed(board),
        },
    )
    return pagecache.keep_for_reader(request, response, (board, counts), caching.SAYS_AGO)


def _board_parts(request, board, counts):
    """What is this reader's own on a board's page (portal.framing): each topic's link, to the
    first reply they have not read, with its marker (new, or how many unread replies), and
    the follow button. `counts`: {topic id: its posts} of the topics listed."""
    user = request.user
    topic_url = addresses("forum:topic")
    marks, following = {}, False
    if user.is_authenticated:
        read = dict(
            ReadState.objects.filter(user=user, topic_id__in=list(counts)).values_list(
                "topic_id", "last_position"
            )
        )
        following = Subscription.objects.filter(user=user, board=board).exists()
        new, unread_title = _("New"), escape(_("Unread replies"))
        for pk, posts in counts.items():
            # Never opened: all new. Opened: the replies since, and a link to the first of them.
            read_up_to = read.get(pk)
            unread = posts - (read_up_to or 0)
            if read_up_to is None:
                marks[pk] = (topic_url(pk), f'<span class="unread-dot">{new}</span>')
            elif unread:
                marks[pk] = (
                    position_url(pk, read_up_to + 1, topic_url),
                    f'<span class="unread-count" title="{unread_title}">{unread}</span>',
                )
    follow = reverse("forum:follow_board", args=[board.slug])
    framing.page_parts(
        request,
        topic_link=lambda pk: marks[pk][0] if pk in marks else topic_url(pk),
        topic_mark=lambda pk: mark_safe(marks[pk][1]) if pk in marks else "",
        follow=lambda _none: _follow_button(request, follow, following, _("Follow board")),
    )


@_with_login
def topic(request, pk):
    user = request.user
    # Owners of a kind see the same page but for their own parts: kept once (portal.pagecache)
    # with the topic and what each post's buttons are worked out from, all of it refreshed by
    # the forum's version like the page.
    variant = _reader_variant(request)
    copy = pagecache.reader_copy(request, FORUM, variant) if variant else None
    if copy is not None:
        html, (topic, facts) = copy
        _check_topic(request, topic)
        _reader_parts(request, topic, [Post(topic=topic, **fact) for fact in facts])
        return HttpResponse(html)
    topic = get_object_or_404(
        Topic.objects.select_related("board", "official_answer__author"), pk=pk
    )
    _check_topic(request, topic)
    pages = page_count(topic.post_count)
    number = min(max(_number(request.GET.get("page")) or 1, 1), pages)
    first, last = positions_on(number)
    posts = list(
        topic.posts.filter(position__range=(first, last))
        .select_related("author")
        .only(*fragments.POST_FIELDS)
    )
    # What every reader sees alike comes from the shared cache (forum.fragments); around it,
    # this reader's parts: their buttons, asked of the same rules the actions check.
    controls, can_reply = _reader_parts(request, topic, posts)
    context = {
        "topic": topic,
        "board": topic.board,
        "posts": posts,
        "post_items": controls.page(posts, fragments.shared_html(posts)),
        "page_number": number,
        "page_links": _page_links(number, pages),
        "can_reply": can_reply,
        "refusal": access.why_not_post(user, topic.board, topic),
    }
    if can_reply:
        context["reply_fields"] = fragments.reply_fields(access.is_spokesperson(user))
    response = render(request, "forum/topic.html", context)
    facts = [{name: getattr(post, name) for name in fragments.POST_FACTS} for post in posts]
    return pagecache.keep_for_reader(request, response, (topic, facts))


def _check_topic(request, topic):
    _readable_board(request, topic.board)
    if not access.can_read_topic(request.user, topic):
        raise Http404


def _reader_variant(request):
    """Which copy of a board's list or a topic page this reader shares: what a reader sees
    there, and whether they may post, follow their kind (forum.access.reader_kind: verified
    owners, other owners); forum staff, who see hidden topics and posts too, get a page of
    their own."""
    if not pagecache.may_keep_for_reader(request):
        return None
    kind = access.reader_kind(request.user)
    return None if kind == access.STAFF else kind


def _reader_parts(request, topic, posts):
    """What is this reader's own on a topic page (portal.framing): each post's buttons and
    whether they liked it, the follow button, the way to the first unread post and the
    customer-service case made of the topic. Moves their read marker on. Returns the page's
    `fragments.Controls` and whether the reader may reply."""
    user = request.user
    can_reply = access.can_reply(user, topic)
    like, edit, delete, report = (addresses(f"forum:{name}") for name in PER_POST)
    quote = reverse("forum:reply", args=[topic.pk]) + "?quote="
    liked, read_state = _reader_rows(user, topic, posts)
    for post in posts:
        if not post.is_visible:
            post.sees_why_hidden = post.is_hidden and access.sees_why_hidden(user, post)
            continue
        post.liked = post.pk in liked
        post.like_url = like(post.pk) if access.can_like(user, post) else None
        post.quote_url = f"{quote}{post.pk}" if can_reply else None
        post.edit_url = edit(post.pk) if access.can_edit(user, post) else None
        post.delete_url = delete(post.pk) if access.can_delete(user, post) else None
        post.report_url = report(post.pk) if access.can_report(user, post) else None
    controls = fragments.Controls(request)
    by_pk = {post.pk: post for post in posts}
    first_unread_url, following = None, False
    if user.is_authenticated and posts:
        first_unread_url, following = _reader_state(user, topic, posts, read_state)
    framing.page_parts(
        request,
        post=lambda pk: controls.tail(by_pk[pk]),
        follow=lambda _none: _follow_button(
            request, reverse("forum:follow_topic", args=[topic.pk]), following, _("Follow")
        ),
        first_unread=lambda _: _first_unread_link(first_unread_url),
        cases=lambda _: _cases(request, topic),
    )
    return controls, can_reply


#: The per-post actions whose addresses the topic page builds: reversed once a page.
PER_POST = ("like", "edit", "delete", "report")


def _reader_rows(user, topic, posts):
    """The posts of the page this reader liked, and how far they had read the topic with
    whether they follow it ((last position, following), or None: never opened), in one query."""
    if not user.is_authenticated or not posts:
        return set(), None
    rows = _READER_ROWS.rows(
        user=user.pk, topic=topic.pk, first=posts[0].position, last=posts[-1].position
    )
    # A liked post's row has no following flag; the read marker's row has one.
    liked = {value for value, following in rows if following is None}
    state = next(((value, following) for value, following in rows if following is not None), None)
    return liked, state


#: The per-reader query of the page every signed-in owner opens, built once (portal.statements):
#: the read marker with the subscription, and the liked posts of the page, as one union.
_READER_ROWS = Statement(
    lambda user, topic, first, last: (
        ReadState.objects.filter(user_id=user, topic_id=topic)
        .values_list(
            "last_position", Exists(Subscription.objects.filter(user_id=user, topic_id=topic))
        )
        .union(
            Reaction.objects.filter(
                user_id=user, post__topic_id=topic, post__position__range=(first, last)
            ).values_list("post_id", Value(None, output_field=BooleanField())),
            all=True,
        )
    )
)


def _follow_button(request, action, following, label):
    """The button that follows a topic or a board (`label`), or stops following it."""
    if not request.user.is_authenticated:
        return ""
    return format_html(
        '<form method="post" action="{}">{}<button class="button button--ghost button--small" '
        'type="submit">{}</button></form>',
        action,
        framing.csrf(request),
        _("Stop following") if following else label,
    )


def _first_unread_link(url):
    if not url:
        return ""
    return format_html(
        '<p><a class="button button--ghost button--small" href="{}">{}</a></p>',
        url,
        _("Jump to the first unread post"),
    )


def _cases(request, topic):
    """The customer-service case made of this topic: for those who handle cases, and for its
    owner, who is the topic's author (cases.casework.case_from_topic); nobody else is asked."""
    user = request.user
    handles_cases = user.has_perm("cases.handle_case")
    if handles_cases:
        cases = list(topic.cases.only(*_CASE_LINE))
    elif user.is_authenticated and user.pk == topic.author_id:
        # Asked on each of the author's visits: a query built once, and nothing to render
        # for the topics that are no case.
        cases = _OWN_CASE.objects(_Case, fields=_CASE_LINE, topic=topic.pk, owner=user.pk)
        if not cases:
            return ""
    else:
        return ""
    context = {"cases": cases, "handles_cases": handles_cases, "user": user, "topic": topic}
    if handles_cases:
        context["csrf_field"] = framing.csrf(request)
    return render_to_string("forum/includes/topic_cases.html", context)


#: What the case line shows of a case made of a topic (one at most: cases.Case's constraint),
#: read through the topic's relation: the forum does not import the cases app.
_Case = Topic._meta.get_field("cases").related_model
_CASE_LINE = ("id", "reference", "status", "owner_id", "forum_topic_id")
_OWN_CASE = Statement(
    lambda topic, owner: _Case.objects.filter(forum_topic_id=topic, owner_id=owner).values_list(
        *columns(_Case, _CASE_LINE)
    )
)


def _page_links(current, pages):
    """1 … 7 8 [9] 10 11 … 100: the first, the last and the pages around this one; None is a gap."""
    shown = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    links = []
    for number in shown:
        if links and number - links[-1] > 1:
            links.append(None)
        links.append(number)
    return links if pages > 1 else []


def _reader_state(user, topic, posts, read_state):
    """Where unread posts start and whether the reader follows the topic; moves their read
    marker on. `read_state`: the marker with the subscription (`_reader_rows`)."""
    read_up_to, following = read_state or (None, None)  # None: never opened
    following = bool(following)
    seen = posts[-1].position
    if read_up_to is None:
        following = Subscription.objects.filter(user=user, topic=topic).exists()
        # Two tabs opening the topic together must not collide.
        ReadState.objects.bulk_create(
            [ReadState(user=user, topic=topic, last_position=seen)], ignore_conflicts=True
        )
    elif seen > read_up_to:
        ReadState.objects.filter(user=user, topic=topic).update(last_position=seen)
    first_unread_url = None
    if read_up_to is not None and read_up_to < topic.post_count:
        first_unread_url = position_url(topic.pk, read_up_to + 1)
    return first_unread_url, following


def _compose(request, form, template, context, publish):
    """New topics and replies: show a preview, or publish and go to what was published."""
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = render_markdown(data["source"])
        else:
            try:
                return redirect(publish(data, official=data.get("official", False)))
            except PostingRefused as error:
                form.add_error(None, str(error))
    return render(request, template, {**context, "form": form, "preview": preview})


@login_required
def new_topic(request, slug):
    board = get_object_or_404(Board, slug=slug)
    if not access.can_post(request.user, board):
        if access.why_not_post(request.user, board) == access.VERIFY:
            raise PermissionDenied(_("Only verified owners can start topics here."))
        raise PermissionDenied(_("Only staff post in this board."))
    spokesperson = access.is_spokesperson(request.user)
    form = TopicForm(request.POST or None, request.FILES or None, spokesperson=spokesperson)

    def publish(data, official):
        return posting.create_topic(
            request.user,
            board,
            title=data["title"],
            source=data["source"],
            images=data["images"],
            official=official,
            picked=data["mentions"],
        )

    context = {"board": board, "mentions_url": _people_url(board=board)}
    return _compose(request, form, "forum/topic_form.html", context, publish)


@login_required
def reply(request, pk):
    topic = get_object_or_404(Topic.objects.select_related("board"), pk=pk)
    _readable_board(request, topic.board)
    if not access.can_read_topic(request.user, topic):
        raise Http404
    if not access.can_reply(request.user, topic):
        refusal = access.why_not_post(request.user, topic.board, topic)
        if refusal == access.LOCKED:
            messages.info(request, _("This topic is locked: no new replies."))
            return redirect(topic)
        if refusal == access.VERIFY:
            raise PermissionDenied(_("Only verified owners can reply here."))
        raise PermissionDenied(_("Only staff post in this board."))
    spokesperson = access.is_spokesperson(request.user)
    initial = {}
    quoted = _number(request.GET.get("quote"))
    if quoted:
        post = topic.posts.visible().filter(pk=quoted).first()
        if post:
            initial["source"] = quotes.quote(post)
    form = PostForm(
        request.POST or None, request.FILES or None, spokesperson=spokesperson, initial=initial
    )

    def publish(data, official):
        post = posting.reply(
            request.user,
            topic,
            source=data["source"],
            images=data["images"],
            official=official,
            picked=data["mentions"],
        )
        return post_url(post)

    context = {"topic": topic, "mentions_url": _people_url(topic=topic)}
    return _compose(request, form, "forum/reply_form.html", context, publish)


def _people_url(topic=None, board=None):
    query = f"topic={topic.pk}" if topic is not None else f"board={board.slug}"
    return f"{reverse('forum:people')}?{query}"


@login_required
def people(request):
    """Whom the writer may @mention where they write (forum.mentions.people), as JSON for the
    list under the message box."""
    topic_id, topic, board = _number(request.GET.get("topic")), None, None
    if topic_id:
        topic = get_object_or_404(Topic.objects.select_related("board"), pk=topic_id)
        readable = access.can_read_topic(request.user, topic)
    else:
        board = get_object_or_404(Board, slug=request.GET.get("board", "")[:50])
        readable = access.can_read(request.user, board)
    if not readable:
        raise Http404
    query = request.GET.get("q", "")[:20]
    return JsonResponse({"people": mentions.people(request.user, topic, board, query)})


@login_required
def edit(request, pk):
    post = get_object_or_404(Post.objects.select_related("topic__board", "author"), pk=pk)
    if not access.can_edit(request.user, post):
        if post.author != request.user:
            raise PermissionDenied
        raise PermissionDenied(_("This post can no longer be edited."))
    picked = ",".join(str(user_id) for user_id in post.mentions.values_list("pk", flat=True))
    form = EditForm(request.POST or None, initial={"source": post.source, "mentions": picked})
    if request.method == "POST" and form.is_valid():
        try:
            posting.edit_post(
                post,
                request.user,
                source=form.cleaned_data["source"],
                picked=form.cleaned_data["mentions"],
            )
        except PostingRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(post_url(post))
    return render(request, "forum/edit_form.html", {"post": post, "form": form})


@login_required
@require_POST
def delete(request, pk):
    post = get_object_or_404(Post, pk=pk, author=request.user)
    posting.delete_own_post(post, request.user)
    messages.success(request, _("Your post is deleted."))
    return redirect(post_url(post))


@login_required
@require_POST
def like(request, pk):
    post = get_object_or_404(Post.objects.select_related("topic__board"), pk=pk)
    if not posting.unlike(request.user, post):
        posting.like(request.user, post)
    return redirect(post_url(post))


@login_required
def report(request, pk):
    post = get_object_or_404(Post.objects.select_related("topic__board", "author"), pk=pk)
    if not access.can_read(request.user, post.topic.board):
        raise PermissionDenied
    if post.author == request.user:
        return redirect(post_url(post))  # one's own post is edited or deleted, not reported
    if not access.can_report(request.user, post):
        raise Http404  # hidden or deleted: nothing to report, and nothing to read
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.post, form.instance.reporter = post, request.user
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            pass  # reported already and still open: one report per owner is enough
        messages.success(request, _("Thank you. A moderator will look at this post."))
        return redirect(post_url(post))
    return render(request, "forum/report_form.html", {"post": post, "form": form})


@login_required
@require_POST
def follow_topic(request, pk):
    topic = get_object_or_404(Topic.objects.select_related("board"), pk=pk)
    _readable_board(request, topic.board)
    if not access.can_read_topic(request.user, topic):
        raise Http404
    _toggle_follow(request.user, topic=topic)
    return redirect(topic)


@login_required
@require_POST
def follow_board(request, slug):
    board = _readable_board(request, get_object_or_404(Board, slug=slug))
    _toggle_follow(request.user, board=board)
    return redirect(board)


def _toggle_follow(user, **target):
    deleted, _counts = Subscription.objects.filter(user=user, **target).delete()
    if not deleted:
        Subscription.objects.get_or_create(user=user, **target)  # a double tap ends following


#: The forum's search asks the site's search engine for posts only.
FORUM_ONLY = ("forum",)


def search(request):
    query = printable(request.GET.get("q", "")).strip()[:50]
    context = {"query": query}
    if query:
        context.update(answer(query, request, page=request.GET.get("page"), sections=FORUM_ONLY))
    return render(request, "forum/search.html", context)


@consent_exempt  # a picture in the owner's own post is their data; files are never walled
@_with_login
def picture(request, pk):
    """A post's picture, for those who may read the post."""
    picture = get_object_or_404(PostImage.objects.select_related("post__topic__board"), pk=pk)
    post = picture.post
    _readable_board(request, post.topic.board)
    if not access.can_read_post(request.user, post):
        raise Http404
    # Stored only after Pillow re-encoded it (portal.images), as the JPEG or PNG its name says.
    verified_type = "image/png" if picture.image.name.endswith(".png") else "image/jpeg"
    return serve_user_file(picture.image.open("rb"), verified_type=verified_type, max_age=86400)
