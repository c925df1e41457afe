"""The demo library: what the taskforce published in 2002-2004, written for this demo (the titles
are in the style of the period's ODPM and IDeA publications; the text is ours). Each entry:
kind, title, summary, audiences, LGSL codes, the body's sections, and the major changes made
after publication (with their notes). ``relevance.py`` searches these."""

from datetime import datetime
from typing import Any

F = "finance"
L = "legal"
O = "officers"  # noqa: E741
C = "councillors"
P = "procurement"


def _body(sections: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"## {heading}\n\n{text}" for heading, text in sections)


def doc(
    kind: str,
    title: str,
    summary: str,
    audiences: list[str],
    sections: list[tuple[str, str]],
    *,
    published: str,
    changes: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    how: str = "",
    kinds: list[str] = ("public_public",),  # type: ignore[assignment]
) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": title,
        "summary": summary,
        "audiences": audiences,
        "body": _body(sections),
        "published": datetime.fromisoformat(published),
        "changes": list(changes),  # (date, note, extra section markdown)
        "how_to_take": how,
        "partnership_kinds": list(kinds),
    }


DOCUMENTS: list[dict[str, Any]] = [
    # --- toolkits ---------------------------------------------------------------------------
    doc(
        "toolkit",
        "Forming a two-tier e-government partnership: a toolkit",
        "A step-by-step toolkit for a county council and its districts forming a partnership to give the public one way in to both tiers' services.",
        [O, C],
        [
            (
                "Why two tiers should join up",
                "Residents do not know which council empties the bins and which repairs the road. A joint contact centre and a shared website let them ask once. Worcestershire and North Yorkshire show it can be done.",
            ),
            (
                "Agreeing the scope",
                "Start with the services residents ask about most: waste, highways, council tax, benefits and planning. Map which tier provides each one using the Local Government Service List.",
            ),
            (
                "Governance and the partnership board",
                "Set up a board with one member and one officer from each council. Agree terms of reference, voting rules and how a council may leave.",
            ),
            (
                "Sharing the costs",
                "Use a fair-shares model: each council pays for what it uses and shares the savings of working together. See the guide to the Shapley value.",
            ),
            (
                "A timetable",
                "Allow six months for scoping and options appraisal, and a year for procurement of a shared customer relationship management system.",
            ),
        ],
        published="2003-02-10",
        changes=[
            (
                "2003-09-01",
                "Added the section on customer relationship management procurement.",
                "## Buying a shared CRM system\n\nA joint procurement through one lead authority saves each council running its own OJEU tender.",
            )
        ],
    ),
    doc(
        "toolkit",
        "Shared services toolkit for district councils",
        "How neighbouring district councils can share back-office services such as revenues and benefits, payroll and ICT.",
        [O, F],
        [
            (
                "Which services to share",
                "Revenues and benefits, payroll, internal audit and ICT support are the most often shared. Start where systems are due for renewal.",
            ),
            (
                "Business case",
                "Compare the cost of each council continuing alone with the cost of a shared service. Include transition costs and redundancy.",
            ),
            (
                "Staff and TUPE",
                "Staff moving to a host council transfer under TUPE. Consult unions early.",
            ),
        ],
        published="2003-04-14",
    ),
    doc(
        "toolkit",
        "Public-private partnership toolkit for local authorities",
        "What a council needs to know before entering a strategic partnership with a private-sector partner.",
        [O, P, L],
        [
            (
                "When a private partner helps",
                "A private partner brings investment, skills and capacity to transform services. It expects a long contract and a return.",
            ),
            (
                "Soft market testing",
                "Talk to the market before you advertise. Ask what risks suppliers will take and what they will not.",
            ),
            (
                "The output specification",
                "Specify outcomes, not inputs: say what residents must get, not how the partner delivers it.",
            ),
            (
                "Exit and step-in",
                "Agree what happens if the partner fails: step-in rights, exit plans and the transfer of assets back to the council.",
            ),
        ],
        published="2003-03-03",
        kinds=["public_private"],
    ),
    doc(
        "toolkit",
        "Working with the voluntary sector: a partnership toolkit",
        "How councils form partnerships with charities and community groups, with compact principles and funding agreements.",
        [O, C],
        [
            (
                "The local compact",
                "Agree the principles of working together: independence, fair funding, consultation and three-year funding where possible.",
            ),
            (
                "Funding agreements",
                "Use a proportionate funding agreement with outcomes both sides agree.",
            ),
            (
                "Full cost recovery",
                "Pay a fair share of the charity's overheads, not only the direct cost of the project.",
            ),
        ],
        published="2003-06-23",
        kinds=["public_voluntary"],
    ),
    doc(
        "toolkit",
        "Customer access toolkit: one front door for every council service",
        "How to design a single point of contact (telephone, web and face to face) that routes each request to the council that provides the service.",
        [O],
        [
            (
                "Channels",
                "Plan the telephone contact centre, the website and the one-stop shops together.",
            ),
            (
                "Routing requests",
                "Use the LGSL service codes and the postcode to find the providing council, then pass the request on.",
            ),
            (
                "Measuring it",
                "Count first-contact resolution, waiting times and requests passed on.",
            ),
        ],
        published="2003-07-07",
    ),
    doc(
        "toolkit",
        "Risk management toolkit for partnerships",
        "How a partnership finds, scores and manages its risks, with a shared risk register and clear owners.",
        [O, F],
        [
            (
                "Finding risks",
                "Hold a workshop with every partner. Write each risk as cause, event and effect.",
            ),
            ("Scoring", "Score likelihood and impact from 1 to 5 and plot them on a heat map."),
            (
                "Owners and treatments",
                "Give every risk one owner. Decide to treat, tolerate, transfer or terminate it.",
            ),
        ],
        published="2003-05-12",
    ),
    doc(
        "toolkit",
        "Options appraisal toolkit",
        "How to compare the ways a partnership could deliver a service: in house, shared, outsourced or a joint venture.",
        [O, F, P],
        [
            (
                "Long list to short list",
                "List every option, including doing nothing, and rule out those that fail the critical success factors.",
            ),
            (
                "Weighing the options",
                "Score each option against cost, quality, risk and fit with each council's priorities.",
            ),
            (
                "The preferred option",
                "Write down why the preferred option won and what would change the decision.",
            ),
        ],
        published="2003-08-04",
    ),
    doc(
        "toolkit",
        "Benefits realisation toolkit",
        "How a partnership plans, tracks and proves the benefits it promised: savings, better services and e-enabled transactions.",
        [O, F],
        [
            (
                "A benefits map",
                "Link each project output to the benefits it should bring and the measures that prove them.",
            ),
            (
                "Baselines",
                "Measure before you start: cost per transaction, waiting times, satisfaction.",
            ),
            ("Reporting", "Report benefits to the partnership board every quarter."),
        ],
        published="2004-01-19",
    ),
    # --- model documents --------------------------------------------------------------------
    doc(
        "model",
        "Model partnership agreement for shared ICT services",
        "A model agreement for councils sharing ICT infrastructure and support, with schedules for services, charges and exit.",
        [L, O],
        [
            (
                "How to use this model",
                "Adapt the clauses to your partnership. The notes explain each choice.",
            ),
            (
                "Parties and purpose",
                "The councils agree to share ICT infrastructure, applications and support through a host authority.",
            ),
            (
                "Charges",
                "Each council pays its agreed share of the costs, reviewed every year, as set out in the charging schedule.",
            ),
            (
                "Leaving the partnership",
                "A council may leave on twelve months' notice and pays its share of committed costs.",
            ),
        ],
        published="2003-03-17",
        changes=[
            (
                "2003-11-03",
                "Updated the charging schedule to allow a fair-shares calculation.",
                "## Charging schedule\n\nCharges may follow a fair-shares calculation (for example the Shapley value) that all councils agree.",
            )
        ],
        kinds=["public_public"],
    ),
    doc(
        "model",
        "Model output specification for a joint contact centre",
        "A model output specification for procuring a contact centre that handles calls for a county and its district councils.",
        [P, O],
        [
            (
                "Outcomes",
                "Residents reach the right service at first contact, whatever tier provides it.",
            ),
            (
                "Service levels",
                "Answer 80% of calls within 20 seconds; resolve 70% at first contact.",
            ),
            ("Reporting", "Monthly reports for each council on calls, outcomes and complaints."),
        ],
        published="2003-05-19",
        kinds=["public_public", "public_private"],
    ),
    doc(
        "model",
        "Cost-sharing model for multi-authority partnerships",
        "A spreadsheet model and its guide for sharing the costs of a multi-authority partnership fairly between the partners.",
        [F],
        [
            (
                "What the model does",
                "Enter each council's demand and each cost component; the model works out standalone costs and fair shares.",
            ),
            (
                "Methods",
                "Equal split, proportional split, separable costs remaining benefits and the Shapley value are compared side by side.",
            ),
            (
                "Checking the result",
                "No group of councils should pay more together than they would alone: the core test.",
            ),
        ],
        published="2003-06-09",
    ),
    doc(
        "model",
        "Model memorandum of understanding between county and district councils",
        "A short memorandum of understanding for councils starting to work together before a formal agreement.",
        [L, C],
        [
            (
                "Purpose",
                "The councils record their shared aims and how they will work together while the partnership is formed.",
            ),
            (
                "Not legally binding",
                "The memorandum records intentions; a partnership agreement follows.",
            ),
        ],
        published="2003-01-27",
    ),
    doc(
        "model",
        "Model data-sharing protocol for partner councils",
        "A model protocol for sharing personal data between councils in a partnership, under the Data Protection Act 1998.",
        [L, O],
        [
            (
                "The legal basis",
                "Identify the power to share and the condition for processing in the Data Protection Act 1998.",
            ),
            (
                "Fair processing",
                "Tell residents their data will be shared with the partner councils.",
            ),
            ("Security", "Agree standards for transferring and storing shared data."),
        ],
        published="2003-10-06",
    ),
    doc(
        "model",
        "Model terms of reference for a partnership board",
        "Model terms of reference for the joint board that governs a strategic partnership.",
        [L, C],
        [
            ("Membership", "One elected member and one senior officer from each partner."),
            (
                "Decisions",
                "Decisions by consensus where possible; otherwise by a two-thirds majority.",
            ),
        ],
        published="2003-02-24",
    ),
    doc(
        "model",
        "Model invitation to negotiate for a strategic service partner",
        "A model invitation to negotiate (ITN) for the competitive procurement of a strategic partner under the EU procurement rules.",
        [P, L],
        [
            (
                "Instructions to bidders",
                "How to respond, the timetable and the evaluation criteria.",
            ),
            (
                "Evaluation",
                "Price, quality and partnership fit, with their weights published in advance.",
            ),
        ],
        published="2003-09-15",
        kinds=["public_private"],
    ),
    doc(
        "model",
        "Model exit plan for a shared service",
        "A model plan for what happens to staff, data and assets when a council leaves a shared service or the service ends.",
        [L, O, F],
        [
            ("Triggers", "Notice by a partner, the end of the term, or a failure to deliver."),
            (
                "Assets and data",
                "Return each council's data in an open format and divide shared assets by the agreed shares.",
            ),
        ],
        published="2004-02-02",
    ),
    # --- guidance ---------------------------------------------------------------------------
    doc(
        "guidance",
        "Sharing costs fairly: a guide to the Shapley value for finance officers",
        "How the Shapley value shares a partnership's costs so each council pays its average added cost, with worked examples; see the fair-shares pages of each partnership.",
        [F],
        [
            (
                "Why a fair split matters",
                "A split that some councils think unfair will not last. The Shapley value gives each council the average extra cost it brings to every group it could join.",
            ),
            (
                "A worked example",
                "Three districts share a revenues system. Alone each pays £400,000; together they pay £900,000. The Shapley value splits the savings so each council saves the same amount if their demands are equal.",
            ),
            (
                "Checking against the core",
                "A split is in the core if no group of councils could do better on their own. The platform's fair-shares pages check it for every agreement.",
            ),
            (
                "Using it in your partnership",
                "Open your partnership's fair-shares pages, enter the cost model and compare the methods. Finance officers of every partner should agree the inputs first.",
            ),
        ],
        published="2003-04-28",
        changes=[
            (
                "2004-03-08",
                "Added a section on the nucleolus and the least core for when the core test fails.",
                "## When the core is empty\n\nIf no split passes the core test, the nucleolus and the least core find the split that comes closest.",
            )
        ],
    ),
    doc(
        "guidance",
        "Gateway reviews for partnerships",
        "How the OGC Gateway review process applies to local authority partnerships, from strategic assessment to benefits evaluation.",
        [O, C],
        [
            (
                "The gates",
                "Gate 0 strategic assessment, gate 1 business justification, gate 2 delivery strategy, gate 3 investment decision, gate 4 readiness for service, gate 5 benefits evaluation.",
            ),
            (
                "Delivery confidence",
                "Each review gives a rating from green to red and recommendations marked critical, essential or recommended.",
            ),
            (
                "Preparing for a review",
                "Have the business case, risk register and stakeholder list ready; the review team interviews the key people over three days.",
            ),
        ],
        published="2003-03-31",
    ),
    doc(
        "guidance",
        "Governance of strategic partnerships",
        "How to govern a partnership of councils: boards, scrutiny, accountability and decision making.",
        [C, O, L],
        [
            (
                "Accountable bodies",
                "One council acts as the accountable body for money and contracts.",
            ),
            (
                "Scrutiny",
                "Each council's overview and scrutiny committee can look at the partnership's work.",
            ),
            (
                "Joint committees",
                "A joint committee under the Local Government Act 1972 can take decisions for all the partners.",
            ),
        ],
        published="2003-02-17",
    ),
    doc(
        "guidance",
        "Procuring a strategic partner: EU procurement rules explained",
        "A guide for procurement officers to the EU procurement directives as they apply to strategic partnerships, including the negotiated procedure.",
        [P, L],
        [
            (
                "Which procedure",
                "The negotiated procedure is available for complex partnerships where the price cannot be fixed in advance; otherwise use the restricted procedure.",
            ),
            (
                "OJEU notices",
                "Advertise in the Official Journal and allow the minimum time limits.",
            ),
            (
                "Evaluation and award",
                "Evaluate on the most economically advantageous tender and give unsuccessful bidders a debrief.",
            ),
        ],
        published="2003-05-05",
        kinds=["public_private"],
    ),
    doc(
        "guidance",
        "Implementing Electronic Government statements: guidance for 2002",
        "What councils must include in their 2002 Implementing Electronic Government (IEG) statements to draw down e-government funding.",
        [O, F],
        [
            (
                "What to include",
                "Progress towards the 2005 target, the priority services, partnership working and the use of the funding.",
            ),
            ("Deadlines", "Submit the statement by the end of July 2002."),
        ],
        published="2002-05-20",
    ),
    doc(
        "guidance",
        "Implementing Electronic Government statements: guidance for 2003",
        "What councils must include in their 2003 IEG statements, including the priority outcomes and joint working with partners.",
        [O, F],
        [
            (
                "What is new",
                "The 2003 statement asks for the priority outcomes and how partnerships help meet them.",
            ),
            (
                "Partnership working",
                "Say which services you deliver with other councils and which are e-enabled.",
            ),
        ],
        published="2003-05-26",
    ),
    doc(
        "guidance",
        "Managing risk in partnerships: who carries what",
        "How partners agree who carries each risk of a shared project, and how overruns and savings are shared.",
        [F, O, L],
        [
            ("Risk allocation", "Give each risk to the partner best able to manage it."),
            (
                "Overruns",
                "Agree in advance how cost overruns are shared, for example in proportion to the fair shares.",
            ),
            (
                "Risk and reward scenarios",
                "Model what each council pays if costs overrun or savings exceed the plan.",
            ),
        ],
        published="2003-07-21",
    ),
    doc(
        "guidance",
        "Involving councillors in partnership decisions",
        "How to keep elected members informed and involved when their council joins a strategic partnership.",
        [C],
        [
            (
                "Early briefings",
                "Brief group leaders and portfolio holders before the partnership is announced.",
            ),
            ("Member champions", "Each council names a member champion for the partnership."),
        ],
        published="2003-08-18",
    ),
    doc(
        "guidance",
        "Legal powers for councils to work in partnership",
        "The legal powers councils use to form partnerships: the well-being power, joint committees, delegation and companies.",
        [L],
        [
            (
                "The well-being power",
                "Section 2 of the Local Government Act 2000 lets a council do anything likely to promote well-being, including working with others.",
            ),
            (
                "Delegation",
                "Section 101 of the Local Government Act 1972 lets one council carry out functions for another.",
            ),
            (
                "Companies",
                "Councils may form a company together, subject to the rules on regulated companies.",
            ),
        ],
        published="2003-03-10",
    ),
    doc(
        "guidance",
        "Setting up a joint committee",
        "How councils set up a joint committee to take decisions for a partnership, with its constitution and standing orders.",
        [L, C],
        [
            ("The constitution", "Agree membership, quorum, chair and voting."),
            ("Delegations", "Each council delegates the functions the committee will exercise."),
        ],
        published="2003-11-17",
    ),
    doc(
        "guidance",
        "Measuring e-government progress: the BVPI 157 indicator",
        "How councils count the services they have e-enabled for Best Value Performance Indicator 157, and how partnerships report them.",
        [O],
        [
            (
                "What counts",
                "A service interaction is e-enabled when it can be done electronically.",
            ),
            ("Reporting jointly", "Partnerships report each council's interactions separately."),
        ],
        published="2003-06-30",
    ),
    doc(
        "guidance",
        "Staff transfer in shared services: TUPE guidance",
        "How the TUPE regulations apply when staff move to a host council or a partner company.",
        [L, O],
        [
            (
                "Who transfers",
                "Staff assigned to the service transfer with their terms and conditions.",
            ),
            (
                "Pensions",
                "Agree admitted body status for a private partner so staff keep the Local Government Pension Scheme.",
            ),
        ],
        published="2003-09-29",
        kinds=["public_public", "public_private"],
    ),
    doc(
        "guidance",
        "Accessible websites for councils",
        "How to make council websites accessible to everyone, meeting the W3C guidelines at level AA.",
        [O],
        [
            ("The guidelines", "Meet the Web Content Accessibility Guidelines at level AA."),
            (
                "Testing",
                "Test with disabled people and with screen readers, not only automated checkers.",
            ),
        ],
        published="2003-10-20",
    ),
    doc(
        "guidance",
        "Writing a business case for a partnership project",
        "How to write the business case a partnership board and each council's cabinet need to approve a project.",
        [O, F],
        [
            ("The five cases", "Strategic, economic, commercial, financial and management cases."),
            (
                "Affordability",
                "Show each council can afford its share over the whole life of the project.",
            ),
        ],
        published="2003-12-08",
    ),
    doc(
        "guidance",
        "Resolving disputes between partners",
        "How partners resolve disagreements before they threaten the partnership: escalation, mediation and arbitration.",
        [L, C],
        [
            ("Escalation", "Officers, then chief executives, then the board."),
            ("Mediation", "An independent mediator helps the partners agree."),
        ],
        published="2004-01-12",
    ),
    # --- training ---------------------------------------------------------------------------
    doc(
        "training",
        "Partnership working for councillors: a one-day programme",
        "A one-day training programme for elected members on the roles, risks and rewards of strategic partnerships.",
        [C],
        [
            (
                "What you will learn",
                "How partnerships are governed, what members decide and how to scrutinise a partnership.",
            ),
            (
                "Programme",
                "Morning: why councils work in partnership. Afternoon: case studies from the pathfinders.",
            ),
        ],
        published="2003-04-07",
        how="Run by the taskforce at regional venues, or at your council for groups of twelve or more. Free to councils outside the pathfinder programme; book through the taskforce's training team.",
    ),
    doc(
        "training",
        "Procurement of strategic partners: a two-day course",
        "A two-day course for procurement and legal officers on procuring a strategic partner under the EU rules.",
        [P, L],
        [
            (
                "What you will learn",
                "Choosing a procedure, writing the output specification, evaluating bids and negotiating.",
            ),
            ("Who it is for", "Procurement, legal and project officers."),
        ],
        published="2003-06-16",
        how="Two consecutive days in London, Leeds or Birmingham. Places for two officers from each council; book through the taskforce's training team.",
    ),
    doc(
        "training",
        "Fair shares for finance officers: a half-day workshop",
        "A half-day workshop on sharing partnership costs fairly, using the cost-sharing model and the Shapley value.",
        [F],
        [
            (
                "What you will learn",
                "Building a cost model, comparing methods, checking the core and explaining the result to members.",
            ),
        ],
        published="2003-09-08",
        how="A half-day workshop with laptops; bring your partnership's cost data. Run quarterly in each region.",
    ),
    doc(
        "training",
        "Project management for partnership projects",
        "A three-day programme on managing projects that span several councils, using PRINCE2 principles.",
        [O],
        [
            (
                "What you will learn",
                "Project boards with several sponsors, shared plans, risk and issue management across councils.",
            ),
        ],
        published="2003-10-27",
        how="Three days over three weeks, with a mentor from the taskforce between sessions.",
    ),
    doc(
        "training",
        "Leading change in shared services",
        "A programme for senior managers leading staff through the move to a shared service.",
        [O],
        [
            (
                "What you will learn",
                "Communicating change, working with unions, keeping services running during transition.",
            ),
        ],
        published="2004-02-16",
        how="Two days plus an action learning set meeting monthly for six months.",
    ),
    # --- case studies not drawn from a record -----------------------------------------------
    doc(
        "case_study",
        "Case study: a shared revenues and benefits service in the Midlands",
        "How three district councils joined their revenues and benefits services under one host council and saved 15% of running costs.",
        [O, F],
        [
            (
                "Background",
                "Three districts faced renewing their revenues systems in the same year.",
            ),
            (
                "What they did",
                "One council hosts the service; staff transferred under TUPE; costs are shared by caseload.",
            ),
            (
                "Results",
                "Running costs fell by 15% in the second year and processing times for new benefit claims halved.",
            ),
        ],
        published="2003-11-24",
    ),
    doc(
        "case_study",
        "Case study: a county and its districts share one contact centre",
        "How a county council and four districts opened one contact centre answering calls for every council service.",
        [O, C],
        [
            (
                "Background",
                "Residents were passed between councils; nobody owned the caller's problem.",
            ),
            (
                "What they did",
                "One telephone number, one CRM system and staff trained on both tiers' services.",
            ),
            ("Results", "First-contact resolution rose to 72%."),
        ],
        published="2004-01-26",
    ),
    doc(
        "case_study",
        "Case study: a public-private partnership for council ICT",
        "How a unitary council entered a ten-year partnership with a private partner to run and modernise its ICT.",
        [O, P],
        [
            ("The procurement", "A negotiated procedure with four bidders over nine months."),
            ("What changed", "New systems for every front-line service and a shared data centre."),
        ],
        published="2003-12-15",
        kinds=["public_private"],
    ),
    doc(
        "case_study",
        "Case study: a voluntary sector partnership for advice services",
        "How a council and local advice charities joined up debt and benefits advice with one referral system.",
        [O],
        [
            (
                "What they did",
                "One referral form, shared case records with consent, and three-year funding.",
            ),
        ],
        published="2004-02-09",
        kinds=["public_voluntary"],
    ),
]

#: The one withdrawn document: (title, reason, when, the title of the one that replaced it).
WITHDRAWN = (
    "Implementing Electronic Government statements: guidance for 2002",
    "This guidance applied to the 2002 statements only. Use the guidance for 2003.",
    "2003-05-26",
    "Implementing Electronic Government statements: guidance for 2003",
)

#: Related documents: title -> titles.
RELATED = {
    "Forming a two-tier e-government partnership: a toolkit": [
        "Sharing costs fairly: a guide to the Shapley value for finance officers",
        "Customer access toolkit: one front door for every council service",
        "Model partnership agreement for shared ICT services",
    ],
    "Sharing costs fairly: a guide to the Shapley value for finance officers": [
        "Cost-sharing model for multi-authority partnerships",
        "Fair shares for finance officers: a half-day workshop",
    ],
    "Model partnership agreement for shared ICT services": [
        "Model exit plan for a shared service",
        "Model terms of reference for a partnership board",
    ],
    "Gateway reviews for partnerships": ["Risk management toolkit for partnerships"],
}
