import NianbaoCore

/// Every rule, in the order they are listed.
public enum RuleCatalog {
    public static let all: [any Rule] = [
        NotAReport(), SectionMissing(), SectionOrder(), SectionMisnumbered(), SectionHeadingVariant(), TitleMissing(), PeriodRule(), PeriodMismatch(), EditionMismatch(),
        TableEditionMismatch(), TableMissing(), TableUnreadable(), RowMissing(), RowCellCount(),
        CellBlank(), CellDash(), CellInvalid(), CellNegative(), CellFractional(),
        Table3WrongCell(), Table3Identity(), Table3RowTotal(), Table3TotalRow(), Table4Arithmetic(),
        Table3CarryoverRule(),
        AmountUnit(), LabelDeviation(),
        NarrativeRequests(), NarrativePartsSum(), NarrativePercentage(), NarrativePartExceedsWhole(),
        OCRUncertain(),
    ] + IntakeRule.all

    public static func rule(_ code: String) -> (any Rule)? { all.first { $0.code.rawValue == code } }
    public static func rule(_ code: Code) -> (any Rule)? { all.first { $0.code == code } }
}
