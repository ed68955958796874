"""The school's yearly plan tracker."""
