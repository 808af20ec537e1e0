"""OWL 2 RL closure of the asserted graph, reduced to the triples a reader can use.

owlrl is slow (seconds on a few thousand triples) and verbose (it re-derives the RDF/OWL
axioms and types every literal). Two measures keep it cheap and the result meaningful:

* the reasoner is fed only triples that can entail something under the RL rules we rely on:
  schema axioms and triples between resources. Literal-valued triples (labels, text, values)
  are left out: none of our properties has a domain or range that a literal could trigger.
* the output is filtered to new triples whose subject is one of ours and which say something
  (no reflexive ``owl:sameAs``/``subClassOf``, no ``owl:Thing``/``rdfs:Resource`` typing).
"""

from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from sse_graph.namespaces import BASE

_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}
_REFLEXIVE = {
    OWL.sameAs,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
}


def reasoner_input(asserted: Graph) -> Graph:
    """The part of ``asserted`` that can entail something: everything but literal values."""
    g = Graph()
    for s, p, o in asserted:
        if isinstance(o, Literal):
            continue
        g.add((s, p, o))
    return g


def _useful(triple: tuple, asserted: Graph) -> bool:
    s, p, o = triple
    if not isinstance(s, URIRef) or not str(s).startswith(BASE):
        return False
    if isinstance(o, (BNode, Literal)) or isinstance(p, BNode):
        return False
    if p in _REFLEXIVE and s == o:
        return False
    if p == RDF.type and o in _TRIVIAL_TYPES:
        return False
    return triple not in asserted


def infer(asserted: Graph) -> Graph:
    """Return the inferred triples only (the closure minus the asserted graph)."""
    work = reasoner_input(asserted)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics,
        axiomatic_triples=False,
        datatype_axioms=False,
        rdfs_closure=False,
    ).expand(work)
    inferred = Graph()
    for t in work:
        if _useful(t, asserted):
            inferred.add(t)
    return inferred
