"""The owner-access extension point of ``visible_documents``: an app says which of
its records a user may see, and the documents attached to them follow (never
the secret ones), company-scoped, in one query, nothing when nothing is registered."""

from __future__ import annotations

import pytest
from django.db.models import Q

from backoffice.core.enums import Classification, Role
from backoffice.core.models import Department
from backoffice.records import registry, selectors
from backoffice.records.tests.helpers import attach, person, with_company

pytestmark = pytest.mark.django_db


def managed_departments(*, user, company):
    return Q(manager=user)


def every_department(*, user, company):
    # Careless on purpose: the records side still keeps to ``company``.
    return Department.objects.all()


@pytest.fixture
def register():
    done = []

    def reg(model, func):
        registry.register_owner_access(model, func)
        done.append((model, func))

    yield reg
    for model, func in done:
        registry.unregister_owner_access(model, func)


@pytest.fixture
def setup(company_a, company_b, make_user):
    boss = person(make_user, company_a, Role.EMPLOYEE)
    peer = person(make_user, company_a, Role.EMPLOYEE)
    clerk = person(make_user, company_a, Role.IT_OFFICER)
    dept = Department.objects.create(company=company_a, code="KT", name="Kế toán", manager=boss)
    docs = {
        cls: attach(clerk, company_a, f"{cls}.txt", "nội dung", owner=dept, classification=cls)
        for cls in Classification.values
    }
    loose = attach(clerk, company_a, "loose.txt", classification=Classification.CONFIDENTIAL)
    return boss, peer, dept, docs, loose


def visible(user, company):
    return set(selectors.visible_documents(user=user, company=company))


def test_nothing_registered_means_nothing_more(setup, company_a):
    boss, _peer, _dept, _docs, _loose = setup
    assert visible(boss, company_a) == set()


def test_registered_owner_opens_its_documents_but_not_the_secret_one(setup, company_a, register):
    boss, peer, _dept, docs, loose = setup
    register("core.Department", managed_departments)
    assert visible(boss, company_a) == {docs[c] for c in Classification.values} - {
        docs[Classification.SECRET]
    }
    assert loose not in visible(boss, company_a)
    assert visible(peer, company_a) == set()
    # The records permissions still add what they add (IT officer: public/internal).
    register(Department, managed_departments)  # by class: the same entry, no duplicate
    assert len([f for _m, f in registry.owner_access_entries() if f is managed_departments]) == 1


def test_another_company_is_never_reached(setup, company_a, company_b, make_user, register):
    boss, _peer, dept, docs, _loose = setup
    register(Department, every_department)
    outsider = person(make_user, company_b, Role.EMPLOYEE)
    b_dept = Department.objects.create(company=company_b, code="KT", name="Kế toán B")
    b_doc = attach(outsider, company_b, "b.txt", owner=b_dept,
                   classification=Classification.CONFIDENTIAL)  # fmt: skip
    assert b_doc not in visible(boss, company_a)
    assert visible(outsider, company_b) == {b_doc}
    # Asked about a company that is not the user's active one: nothing.
    assert visible(outsider, company_a) == set()
    assert docs[Classification.CONFIDENTIAL] in visible(boss, company_a)


def test_downloads_follow_the_rule_and_confidential_reads_are_audited(setup, company_a, register):
    from backoffice.core.exceptions import NotFound
    from backoffice.core.models import AuditEvent

    boss, peer, _dept, docs, _loose = setup
    register(Department, managed_departments)
    doc = docs[Classification.CONFIDENTIAL]
    _d, _v, data = selectors.document_open(user=boss, company=company_a, public_id=doc.public_id)
    assert data == "nội dung".encode()
    assert AuditEvent.objects.filter(
        event_type="DOCUMENT_READ", actor=boss, object_id=str(doc.public_id)
    ).exists()
    for who, target in ((boss, docs[Classification.SECRET]), (peer, doc)):
        with pytest.raises(NotFound):
            selectors.document_open(user=who, company=company_a, public_id=target.public_id)


def test_seeing_is_not_changing(setup, company_a, register):
    from backoffice.core.exceptions import PermissionDenied
    from backoffice.records import services
    from backoffice.records.tests.conftest import upload

    boss, _peer, _dept, docs, _loose = setup
    register(Department, managed_departments)
    doc = docs[Classification.CONFIDENTIAL]
    with pytest.raises(PermissionDenied):
        services.document_update(actor=boss, document=doc, title="Đổi tên")
    with pytest.raises(PermissionDenied):
        services.document_add_version(actor=boss, document=doc, uploaded_file=upload("x.txt", "x"))


def test_the_list_stays_one_query(setup, company_a, register, django_assert_num_queries):
    boss, _peer, _dept, _docs, _loose = setup
    register(Department, managed_departments)
    visible(boss, company_a)  # warms the permission and content-type caches
    with django_assert_num_queries(1):
        assert len(list(selectors.visible_documents(user=boss, company=company_a))) == 3


def test_a_function_answering_for_another_model_is_refused(setup, company_a, register):
    from backoffice.core.models import Company

    boss = setup[0]
    register(Department, lambda *, user, company: Company.objects.all())
    with pytest.raises(TypeError):
        selectors.visible_documents(user=boss, company=company_a)


def test_bad_model_names_are_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        registry.register_owner_access("Department", managed_departments)


def test_an_empty_registry_leaves_the_role_rule_as_it_was(setup, company_a, make_user, monkeypatch):
    from backoffice.core.models import User

    monkeypatch.setattr(registry, "_REGISTRY", {})
    boss, _peer, _dept, docs, loose = setup
    clerk = person(make_user, company_a, Role.IT_OFFICER)
    uploader = with_company(User.objects.get(pk=docs["public"].uploaded_by_id), company_a)
    assert visible(boss, company_a) == set()
    assert visible(uploader, company_a) == set(docs.values()) | {loose}
    assert visible(clerk, company_a) == {docs["public"], docs["internal"]}
    officer = person(make_user, company_a, Role.COMPLIANCE_OFFICER)
    assert visible(officer, company_a) == set(docs.values()) | {loose}
