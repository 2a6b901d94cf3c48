"""Element allow-lists of the Factur-X 1.0 / ZUGFeRD 2.x profiles MINIMUM, BASIC WL, BASIC, EN16931.

Data only, read by :mod:`ledgerbridge.formats.fxprofile`. One line per element path of a
``rsm:CrossIndustryInvoice``, indented two spaces per level below the root, with local
names only. A letter after the name is the lowest profile that allows the element
(``M`` MINIMUM, ``W`` BASIC WL, ``B`` BASIC, ``E`` EN16931); a line without one inherits
its parent's. The profiles nest (MINIMUM within BASIC WL within BASIC within EN16931).

Written for this project from the structure of the profile XML schemas of Factur-X 1.0
(the first published schemas, which still gave MINIMUM the seller's and buyer's postal
address) and of the current release, 1.09 (which added the line billing period, gross
price, line notes and the tax currency code to BASIC); a path is listed when either
generation allows it for that profile, so a file made to the older schema still passes.

>>> TREE.splitlines()[0]
'ExchangedDocument M'
"""

from __future__ import annotations

__all__ = ["TREE"]

TREE = """\
ExchangedDocument M
  ID
  IncludedNote W
    Content
    SubjectCode
  IssueDateTime
    DateTimeString
  TypeCode
ExchangedDocumentContext M
  BusinessProcessSpecifiedDocumentContextParameter
    ID
  GuidelineSpecifiedDocumentContextParameter
    ID
SupplyChainTradeTransaction M
  ApplicableHeaderTradeAgreement
    AdditionalReferencedDocument E
      AttachmentBinaryObject
      FormattedIssueDateTime
        DateTimeString
      IssuerAssignedID
      LineID
      Name
      ReferenceTypeCode
      TypeCode
      URIID
    BuyerOrderReferencedDocument
      AttachmentBinaryObject E
      FormattedIssueDateTime W
        DateTimeString
      IssuerAssignedID
      LineID E
      Name E
      ReferenceTypeCode E
      TypeCode E
      URIID E
    BuyerReference
    BuyerTradeParty
      DefinedTradeContact E
        DepartmentName
        EmailURIUniversalCommunication
          CompleteNumber
          URIID
        PersonName
        TelephoneUniversalCommunication
          CompleteNumber
          URIID
      Description E
      GlobalID W
      ID W
      Name
      PostalTradeAddress
        CityName
        CountryID
        CountrySubDivisionName
        LineOne
        LineThree
        LineTwo
        PostcodeCode
      SpecifiedLegalOrganization
        ID
        TradingBusinessName W
      SpecifiedTaxRegistration
        ID
      URIUniversalCommunication W
        CompleteNumber E
        URIID
    ContractReferencedDocument W
      AttachmentBinaryObject E
      FormattedIssueDateTime
        DateTimeString
      IssuerAssignedID
      LineID E
      Name E
      ReferenceTypeCode E
      TypeCode E
      URIID E
    SellerOrderReferencedDocument E
      AttachmentBinaryObject
      FormattedIssueDateTime
        DateTimeString
      IssuerAssignedID
      LineID
      Name
      ReferenceTypeCode
      TypeCode
      URIID
    SellerTaxRepresentativeTradeParty W
      DefinedTradeContact E
        DepartmentName
        EmailURIUniversalCommunication
          CompleteNumber
          URIID
        PersonName
        TelephoneUniversalCommunication
          CompleteNumber
          URIID
      Description E
      GlobalID
      ID
      Name
      PostalTradeAddress
        CityName
        CountryID
        CountrySubDivisionName
        LineOne
        LineThree
        LineTwo
        PostcodeCode
      SpecifiedLegalOrganization
        ID
        TradingBusinessName
      SpecifiedTaxRegistration
        ID
      URIUniversalCommunication
        CompleteNumber E
        URIID
    SellerTradeParty
      DefinedTradeContact E
        DepartmentName
        EmailURIUniversalCommunication
          CompleteNumber
          URIID
        PersonName
        TelephoneUniversalCommunication
          CompleteNumber
          URIID
      Description E
      GlobalID W
      ID W
      Name
      PostalTradeAddress
        CityName
        CountryID
        CountrySubDivisionName
        LineOne
        LineThree
        LineTwo
        PostcodeCode
      SpecifiedLegalOrganization
        ID
        TradingBusinessName W
      SpecifiedTaxRegistration
        ID
      URIUniversalCommunication W
        CompleteNumber E
        URIID
    SpecifiedProcuringProject E
      ID
      Name
  ApplicableHeaderTradeDelivery
    ActualDeliverySupplyChainEvent W
      OccurrenceDateTime
        DateTimeString
    DespatchAdviceReferencedDocument W
      AttachmentBinaryObject E
      FormattedIssueDateTime
        DateTimeString
      IssuerAssignedID
      LineID E
      Name E
      ReferenceTypeCode E
      TypeCode E
      URIID E
    ReceivingAdviceReferencedDocument E
      AttachmentBinaryObject
      FormattedIssueDateTime
        DateTimeString
      IssuerAssignedID
      LineID
      Name
      ReferenceTypeCode
      TypeCode
      URIID
    ShipToTradeParty W
      DefinedTradeContact E
        DepartmentName
        EmailURIUniversalCommunication
          CompleteNumber
          URIID
        PersonName
        TelephoneUniversalCommunication
          CompleteNumber
          URIID
      Description E
      GlobalID
      ID
      Name
      PostalTradeAddress
        CityName
        CountryID
        CountrySubDivisionName
        LineOne
        LineThree
        LineTwo
        PostcodeCode
      SpecifiedLegalOrganization
        ID
        TradingBusinessName
      SpecifiedTaxRegistration
        ID
      URIUniversalCommunication
        CompleteNumber E
        URIID
  ApplicableHeaderTradeSettlement
    ApplicableTradeTax W
      BasisAmount
      CalculatedAmount
      CategoryCode
      DueDateTypeCode
      ExemptionReason
      ExemptionReasonCode
      RateApplicablePercent
      TaxPointDate E
        DateString
      TypeCode
    BillingSpecifiedPeriod W
      EndDateTime
        DateTimeString
      StartDateTime
        DateTimeString
    CreditorReferenceID W
    InvoiceCurrencyCode
    InvoiceReferencedDocument W
      AttachmentBinaryObject E
      FormattedIssueDateTime
        DateTimeString
      IssuerAssignedID
      LineID E
      Name E
      ReferenceTypeCode E
      TypeCode E
      URIID E
    PayeeTradeParty W
      DefinedTradeContact E
        DepartmentName
        EmailURIUniversalCommunication
          CompleteNumber
          URIID
        PersonName
        TelephoneUniversalCommunication
          CompleteNumber
          URIID
      Description E
      GlobalID
      ID
      Name
      PostalTradeAddress
        CityName
        CountryID
        CountrySubDivisionName
        LineOne
        LineThree
        LineTwo
        PostcodeCode
      SpecifiedLegalOrganization
        ID
        TradingBusinessName
      SpecifiedTaxRegistration
        ID
      URIUniversalCommunication
        CompleteNumber E
        URIID
    PaymentReference W
    ReceivableSpecifiedTradeAccountingAccount W
      ID
    SpecifiedTradeAllowanceCharge W
      ActualAmount
      BasisAmount
      CalculationPercent
      CategoryTradeTax
        BasisAmount
        CalculatedAmount
        CategoryCode
        DueDateTypeCode
        ExemptionReason
        ExemptionReasonCode
        RateApplicablePercent
        TaxPointDate E
          DateString
        TypeCode
      ChargeIndicator
        Indicator
      Reason
      ReasonCode
    SpecifiedTradePaymentTerms W
      Description
      DirectDebitMandateID
      DueDateDateTime
        DateTimeString
    SpecifiedTradeSettlementHeaderMonetarySummation
      AllowanceTotalAmount W
      ChargeTotalAmount W
      DuePayableAmount
      GrandTotalAmount
      LineTotalAmount W
      RoundingAmount E
      TaxBasisTotalAmount
      TaxTotalAmount
      TotalPrepaidAmount W
    SpecifiedTradeSettlementPaymentMeans W
      ApplicableTradeSettlementFinancialCard E
        CardholderName
        ID
      Information E
      PayeePartyCreditorFinancialAccount
        AccountName E
        IBANID
        ProprietaryID
      PayeeSpecifiedCreditorFinancialInstitution E
        BICID
      PayerPartyDebtorFinancialAccount
        IBANID
      TypeCode
    TaxCurrencyCode W
  IncludedSupplyChainTradeLineItem B
    AssociatedDocumentLineDocument
      IncludedNote
        Content
        SubjectCode
      LineID
    SpecifiedLineTradeAgreement
      BuyerOrderReferencedDocument E
        AttachmentBinaryObject
        FormattedIssueDateTime
          DateTimeString
        IssuerAssignedID
        LineID
        Name
        ReferenceTypeCode
        TypeCode
        URIID
      GrossPriceProductTradePrice
        AppliedTradeAllowanceCharge
          ActualAmount
          BasisAmount
          CalculationPercent
          CategoryTradeTax
            BasisAmount
            CalculatedAmount
            CategoryCode
            DueDateTypeCode
            ExemptionReason
            ExemptionReasonCode
            RateApplicablePercent
            TaxPointDate E
              DateString
            TypeCode
          ChargeIndicator
            Indicator
          Reason
          ReasonCode
        BasisQuantity
        ChargeAmount
      NetPriceProductTradePrice
        AppliedTradeAllowanceCharge
          ActualAmount
          BasisAmount
          CalculationPercent
          CategoryTradeTax
            BasisAmount
            CalculatedAmount
            CategoryCode
            DueDateTypeCode
            ExemptionReason
            ExemptionReasonCode
            RateApplicablePercent
            TaxPointDate E
              DateString
            TypeCode
          ChargeIndicator
            Indicator
          Reason
          ReasonCode
        BasisQuantity
        ChargeAmount
    SpecifiedLineTradeDelivery
      BilledQuantity
    SpecifiedLineTradeSettlement
      AdditionalReferencedDocument E
        AttachmentBinaryObject
        FormattedIssueDateTime
          DateTimeString
        IssuerAssignedID
        LineID
        Name
        ReferenceTypeCode
        TypeCode
        URIID
      ApplicableTradeTax
        BasisAmount
        CalculatedAmount
        CategoryCode
        DueDateTypeCode
        ExemptionReason
        ExemptionReasonCode
        RateApplicablePercent
        TaxPointDate E
          DateString
        TypeCode
      BillingSpecifiedPeriod
        EndDateTime
          DateTimeString
        StartDateTime
          DateTimeString
      ReceivableSpecifiedTradeAccountingAccount E
        ID
      SpecifiedTradeAllowanceCharge
        ActualAmount
        BasisAmount
        CalculationPercent
        CategoryTradeTax
          BasisAmount
          CalculatedAmount
          CategoryCode
          DueDateTypeCode
          ExemptionReason
          ExemptionReasonCode
          RateApplicablePercent
          TaxPointDate E
            DateString
          TypeCode
        ChargeIndicator
          Indicator
        Reason
        ReasonCode
      SpecifiedTradeSettlementLineMonetarySummation
        LineTotalAmount
    SpecifiedTradeProduct
      ApplicableProductCharacteristic E
        Description
        Value
      BuyerAssignedID E
      Description E
      DesignatedProductClassification E
        ClassCode
      GlobalID
      Name
      OriginTradeCountry E
        ID
      SellerAssignedID E
"""
