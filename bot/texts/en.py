"""Every user-facing string in English."""

TEXTS: dict[str, str] = {
    "sources_header": "Sources:",
    "not_found": "The articles I know do not answer this question. The list of articles: /sources",
    "not_mentioned": "The articles I know do not mention “{term}”. The list of articles: /sources",
    "partial": "The articles do not say {clause}. Here is what they do say about it:",
    "part_date": "when it happened or will happen",
    "part_number": "how many or how much",
    "part_money": "how much it costs",
    "part_age": "how old they are",
    "part_amount": "how much it comes to",
    "part_duration": "how long it lasted",
    "part_person": "who it was",
    "part_place": "where it is or was",
    "part_organisation": "which organisation it was",
    "part_role": "who this is",
    "part_name": "what it is called",
    "trimmed": "Your message is very long: I searched with the part of it around the question (1000 characters).",
    "empty_question": "Please type a question — I will find the answer in the articles and cite the source.",
    "greeting": (
        "Hello! I answer questions from the articles about one news story: {story}. I answer with "
        "quotes and name the source.\n"
        "Just type a question."
    ),
    "help": (
        "<b>How to ask</b>\n"
        "• In a private chat every message is a question. I answer with quotes from the articles "
        "and numbered sources.\n"
        "• In a group, mention me ({mention} your question), reply to my message, or send a command "
        "as /sources@{username}.\n"
        "• Follow up: “and what about trade?”, “more”. /new starts a new topic.\n"
        "• Under an answer: 👍 / 👎 to rate it, “More passages” for more quotes.\n"
        "• In any chat: type {mention} question and pick the answer from the list.\n"
        "• /brief — the story in brief: the main points of the articles, with their sources.\n"
        "• “📄 Context” under an answer shows the paragraph of the article around the quote.\n"
        "• /sources — the articles I know; read any of them right here with its “Read” button.\n"
        "When the articles do not answer, I say so — I never make things up."
    ),
    "examples": "For example:",
    "sources_title": "<b>The articles I know ({count}):</b>",
    "passages": "passages: {count}",
    "no_sources": "I know no articles yet.",
    "non_text": "I only answer text questions. Please type your question.",
    "mention_hint": "Put your question after the mention: {mention} your question",
    "error": "Sorry, something went wrong. Please try again in a moment.",
    "slow_down": "That is a lot of questions at once. I will answer again in {seconds} s, please wait.",
    "group_slow_down": ("This chat is asking more than I can answer right now. I will answer again in {seconds} s."),
    "busy": "Many questions right now. Your answer is coming — in about {seconds} s.",
    "cmd_new": "New topic: forget the previous question",
    "follow_up_changed": "Reading your question as: “{question}”. New topic: /new",
    "follow_up_note": "Answering in the light of your previous question: “{topic}”. New topic: /new",
    "forgotten": "Done: I will read your next question on its own.",
    "nothing_to_continue": "Ask a question first — then I can show more passages.",
    "small_talk_thanks": "You are welcome! Ask again whenever you have a question about this story.",
    "small_talk_link": "I do not open links: I answer from the articles I know (/sources). Please type your question.",
    "small_talk_none": "Type a question in words and I will look for the answer in the articles.",
    "more_button": "More passages ▸",
    "more_header": "Passages ({first}–{last} of {total}):",
    "no_more": "There are no more matching passages.",
    "answer_expired": "This answer is too old — please ask again.",
    "vote_new": "Thanks for the feedback!",
    "vote_changed": "Your vote is changed.",
    "vote_same": "You already voted this way.",
    "inline_answer": "Answer from the articles",
    "inline_not_found": "The articles do not answer this",
    "inline_example": "Example — tap to send its answer",
    "inline_question": "Question: {question}",
    "admin_only": "This command is for the bot's administrators only.",
    "reindex_started": ("Rebuilding the index from the articles folder. The current index keeps answering meanwhile."),
    "reindex_running": "A rebuild is already running — please wait.",
    "reindex_done": ("Done: {articles} articles, {passages} passages, in {seconds:.1f} s. The new index is answering."),
    "reindex_failed": "The rebuild failed: {error}. I keep answering from the previous index.",
    "stats": (
        "<b>Statistics for {day} (UTC)</b>\n"
        "Questions: {questions} (from the cache: {cached})\n"
        "Not answered: {refused} ({refusal:.0%})\n"
        "Median latency: {latency}\n"
        "Votes of all time: 👍 {up} · 👎 {down}"
    ),
    "cmd_start": "Start and example questions",
    "cmd_help": "How to use the bot",
    "cmd_sources": "The articles I know",
    "console_intro": (
        "Console chat on the bot's own pipeline. Type questions; /brief — the story in brief, "
        "/sources — the articles, /read N — read an article, /context — the paragraph around a quote, "
        "/quotes — who said what. "
        "An empty line or Ctrl-D quits."
    ),
    "no_token": (
        "BOT_TOKEN is not set, so the Telegram bot is not started. Get a token from @BotFather "
        "(/newbot) and put it in .env as BOT_TOKEN=... (see .env.example). Meanwhile, here is the "
        "console chat."
    ),
    "brief_title": "The story in brief",
    "brief_empty": "There is nothing to sum up yet: the articles have no sentence to quote.",
    "cmd_brief": "The story in brief, from the articles",
    "context_button": "📄 Context",
    "paragraph_of": "paragraph {number} of {total}",
    "context_gone": "The articles have changed and this quote is no longer there — please ask again.",
    "read_button": "📖 Read [{number}]",
    "read_article": "📖 Read the article",
    "sources_read": "You can read any of them right here — see the buttons below.",
    "page_of": "Page {page} of {pages}",
    "first_page": "This is the first page.",
    "last_page": "This is the last page.",
    "article_gone": "The articles have changed — open the list again: /sources",
    "console_read": "Next: /read {number} {page}",
    "console_no_article": "There is no article with this number. The list of articles: /sources",
    "console_no_context": "Ask a question first — then I can show where its quote stands in the article.",
    "constraint": "The articles say nothing of this in connection with «{name}». Here is what they do say:",
    "constraint_time": "The articles give nothing for that time («{name}»). Here is what they do say:",
    "unquoted": "The articles do not quote {name}. What they say:",
    "speaker_silent": "In the articles {name} does not speak of this. {other} did:",
    "quotes_title": "Who speaks in the articles",
    "quotes_line": "{name}{role} — quotes: {count}",
    "quotes_button": "💬 {name}",
    "quotes_none": "The articles quote no one by name.",
    "quotes_header": "Quotes: {name}{role}",
    "quotes_inline": "Quotes: {name}",
    "console_quotes": "A speaker's quotes: /quotes {number}",
    "console_quotes_next": "Next: /quotes {number} {page}",
    "article_preview": (
        "<b>A new article — please check what I read:</b>\n"
        "<b>Title:</b> {title}\n<b>Date:</b> {date}\n<b>Outlet:</b> {outlet}\n<b>Link:</b> {url}\n"
        "<b>Length:</b> {chars} characters, {paragraphs} paragraphs"
    ),
    "article_unknown": "not given",
    "article_add_button": "✅ Add",
    "article_cancel_button": "✖ Cancel",
    "article_adding": "Adding the article “{title}”…",
    "article_added": "Done: “{title}” is added, {passages} passages. Articles now: {articles}. In {seconds:.1f} s.",
    "article_replaced": "Done: “{title}” is updated, {passages} passages. Articles: {articles}. In {seconds:.1f} s.",
    "article_cancelled": "Cancelled: the article is not saved.",
    "article_expired": "This draft is too old or already handled — please send the article again.",
    "article_failed": "The article could not be saved: {error}. Nothing has changed.",
    "article_refused": (
        "Thank you! Only the bot's editors can add articles, so I saved nothing. "
        "If you have a question about the story, please type it."
    ),
    "document_empty": "The file is empty — there is no article in it.",
    "document_short": "The text is too short for an article: it needs at least {min_chars} characters.",
    "document_binary": "This is not a text file. Please send the article as .txt, .md or .html.",
    "document_large": "The file is too large: up to {limit} KB, please.",
    "document_kind": "I read articles only from .txt, .md and .html files.",
    "document_encoding": "I cannot read the file: it is not UTF-8 text. Please save it as UTF-8 and send it again.",
    "add_usage": "Type the article after the command: /add Title, then the text on new lines.",
    "remove_title": "<b>Which article should I remove?</b> Articles {first}–{last} of {total}:",
    "remove_confirm": "Remove “{title}” ({date}, {outlet})? Questions about it will no longer be answered.",
    "remove_button": "🗑 Remove",
    "keep_button": "Keep",
    "removing": "Removing the article “{title}”…",
    "removed": "Done: “{title}” is removed. Articles now: {articles}.",
    "remove_kept": "All right, the article stays.",
    "remove_gone": "This article is no longer there. The list: /remove",
    "remove_failed": "The article could not be removed: {error}",
    "remove_last": "This is the last article: please add another one first.",
    "gaps_title": (
        "<b>What the articles did not answer</b> in {days} days: groups {first}–{last} of {total}, largest first."
    ),
    "gaps_line": "{count}× “{example}” — {status}",
    "gaps_not_found": "no answer",
    "gaps_partial": "part missing: {missing}",
    "gaps_empty": "No question went unanswered in {days} days.",
}
