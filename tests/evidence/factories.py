"""Catalogue rows for tests: shared entries (school NULL) and a school's own, with studies."""

import factory
from django.urls import reverse

from sendwise.evidence import pooling
from sendwise.evidence.models import Intervention, KeyMessage, Study


class InterventionFactory(factory.django.DjangoModelFactory):
    """A shared catalogue entry; pass ``school=`` for a school's own practice-based one."""

    class Meta:
        model = Intervention

    school = None
    slug = factory.Sequence(lambda n: f"intervention-{n}")
    name = factory.Sequence(lambda n: f"Intervention {n}")
    kind = "targeted_intervention"
    provider = "Test provider"
    broad_areas = factory.LazyFunction(lambda: ["cognition_learning"])
    need_codes = factory.LazyFunction(lambda: ["SPLD", "MLD"])
    skills = factory.LazyFunction(lambda: ["decoding"])
    nc_year_min = 1
    nc_year_max = 6
    format = "small_group"
    evidence_strength = factory.LazyAttribute(
        lambda o: pooling.STRENGTH_PRACTICE if o.school else pooling.STRENGTH_NONE
    )


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study

    intervention = factory.SubFactory(InterventionFactory)
    position = factory.Sequence(lambda n: n)
    citation = factory.Sequence(lambda n: f"Author A, Author B ({2000 + n % 25}) A trial")
    trial = factory.Sequence(lambda n: f"trial-{n}")
    design = "RCT"
    effect_size = 0.3
    effect_size_type = "cohen_d"
    n_treatment = 100
    n_control = 100
    n = 200
    url = "https://example.org/trial"


class KeyMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyMessage

    intervention = factory.SubFactory(InterventionFactory)
    school = factory.SelfAttribute("intervention.school")
    position = factory.Sequence(lambda n: n)
    text = "Short daily sessions work better than one long weekly one."


def own_intervention(world) -> Intervention:
    """The first school's own practice-based intervention, made once per test."""
    found = Intervention.objects.filter(school=world.school, slug="our-reading-club").first()
    if found:
        return found
    intervention = InterventionFactory(
        school=world.school, slug="our-reading-club", name="Our reading club"
    )
    KeyMessageFactory(intervention=intervention, text="Pupils like reading to the dog.")
    return intervention


def intervention_url(name: str, world) -> str:
    """URLs for the authorization matrix: detail and messages of the school's own entry."""
    if name in ("evidence:detail", "evidence:messages"):
        return reverse(name, kwargs={"slug": own_intervention(world).slug})
    return reverse(name)
