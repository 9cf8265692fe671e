"""Templates use Jinja's newstyle gettext: placeholders are filled in and escaped."""

from consent import i18n
from consent.templating import make_environment


def test_ngettext_in_a_template_fills_every_placeholder():
    env = make_environment()
    template = env.from_string(
        "{{ ngettext('%(num)s huis in %(name)s', '%(num)s huizen in %(name)s', n, name=name) }}"
    )
    with i18n.use_locale("nl"):
        assert template.render(n=1, name="De Linde") == "1 huis in De Linde"
        assert template.render(n=3, name="<b>") == "3 huizen in &lt;b&gt;"


def test_gettext_in_a_template_escapes_variables():
    env = make_environment()
    template = env.from_string("{{ _('Hallo %(name)s', name=name) }}")
    assert template.render(name="<script>") == "Hallo &lt;script&gt;"
